import { describe, expect, it } from 'vitest';
import { duplicateDetail, repeatedAddresses } from '../../../cli/repeated-addresses.ts';

describe('repeated addresses in a CSV file', () => {
  it('finds the earlier line of an e-mail written with other letter case and spaces, as the API normalizes it', () => {
    const repeats = repeatedAddresses();
    repeats.see(2, { email: 'Ann@Example.com' });
    repeats.see(9, { email: ' ann@example.COM ' });
    expect(repeats.earlierLineOf(9, { email: ' ann@example.COM ' })).toBe(2);
  });

  it('finds the earlier line of a phone written another way, by its E.164 form', () => {
    const repeats = repeatedAddresses();
    repeats.see(3, { phone: '+7 912 345-67-89' });
    repeats.see(7, { phone: '+79123456789' });
    expect(repeats.earlierLineOf(7, { phone: '+79123456789' })).toBe(3);
  });

  it('finds no earlier line for the first row with an address', () => {
    const repeats = repeatedAddresses();
    repeats.see(2, { email: 'ann@example.com' });
    repeats.see(3, { email: 'ann@example.com' });
    expect(repeats.earlierLineOf(2, { email: 'ann@example.com' })).toBeUndefined();
  });

  it('says a duplicate with no earlier line was already in the campaign', () => {
    expect(duplicateDetail(undefined)).toBe('already in the campaign');
    expect(duplicateDetail(17)).toBe('same address as line 17');
  });
});
