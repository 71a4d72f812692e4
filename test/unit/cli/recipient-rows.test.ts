import { describe, expect, it } from 'vitest';
import { CsvHeaderError, planColumns, recipientOf } from '../../../cli/recipient-rows.ts';

describe('planColumns', () => {
  it('knows the contact columns in any letter case and makes every other column an attribute', () => {
    const plan = planColumns(['EMAIL', 'Name', 'externalid', 'TimeZone', 'Locale', 'phone', 'plan', 'Region']);
    expect(plan.columns.map((c) => (c.kind === 'contact' ? c.field : c.kind === 'attribute' ? `attr:${c.name}` : 'ignored'))).toEqual([
      'email',
      'name',
      'externalId',
      'timezone',
      'locale',
      'phone',
      'attr:plan',
      'attr:Region',
    ]);
  });

  it('ignores unnamed columns (a trailing comma) and the skipped-rows report columns', () => {
    const plan = planColumns(['email', 'plan', 'skip_reason', 'SKIP_LINE', '']);
    expect(plan.columns.map((c) => c.kind)).toEqual(['contact', 'attribute', 'ignored', 'ignored', 'ignored']);
    expect(plan.dataColumns).toEqual([0, 1, 4]);
  });

  it('refuses a header without an email or phone column', () => {
    expect(() => planColumns(['name', 'plan'])).toThrow(new CsvHeaderError({ kind: 'no_contact_column' }));
    expect(() => planColumns(['name', 'plan'])).toThrow('the header needs an email or a phone column');
  });

  it('refuses a column the API could not take as an attribute, naming it', () => {
    expect(() => planColumns(['email', 'Plan name'])).toThrow(/column 2 "Plan name" cannot be an attribute/);
    expect(() => planColumns(['email', '1st'])).toThrow(/column 2 "1st"/);
  });

  it('refuses a column named like a built-in object property, saying why', () => {
    expect(() => planColumns(['email', 'constructor'])).toThrow(/column 2 "constructor" cannot be an attribute: .*reserved/);
  });

  it('refuses the same contact column twice, whatever its case', () => {
    expect(() => planColumns(['email', 'Email'])).toThrow(/columns "email" and "Email" are the same column/);
  });
});

describe('recipientOf', () => {
  const plan = planColumns(['Email', 'Name', 'Locale', 'plan', 'region']);

  it('maps a row to the API recipient: contact fields by name, the rest as attributes, cells trimmed', () => {
    expect(recipientOf(plan, [' ann@example.com ', 'Ann', 'ru', 'pro', 'eu'])).toEqual({
      kind: 'recipient',
      recipient: { email: 'ann@example.com', name: 'Ann', locale: 'ru', attributes: { plan: 'pro', region: 'eu' } },
    });
  });

  it('leaves empty cells out, attributes included, so the API applies its defaults', () => {
    expect(recipientOf(plan, ['bob@example.com', '', '', 'free', ''])).toEqual({
      kind: 'recipient',
      recipient: { email: 'bob@example.com', attributes: { plan: 'free' } },
    });
    expect(recipientOf(plan, ['bob@example.com', '', '', '', ''])).toEqual({ kind: 'recipient', recipient: { email: 'bob@example.com' } });
  });

  it('treats a short row as having empty cells at the end', () => {
    expect(recipientOf(plan, ['cat@example.com'])).toEqual({ kind: 'recipient', recipient: { email: 'cat@example.com' } });
  });

  it('calls a row of empty cells blank, not invalid', () => {
    expect(recipientOf(plan, ['', ' ', '', '', ''])).toEqual({ kind: 'blank' });
  });

  it('leaves the address check to the API, so a bad e-mail is reported with the API reason', () => {
    expect(recipientOf(plan, ['not-an-email'])).toEqual({ kind: 'recipient', recipient: { email: 'not-an-email' } });
  });

  it('holds back a row the API would refuse with its whole request, saying why', () => {
    expect(recipientOf(plan, ['dan@example.com', 'Dan', 'fr'])).toMatchObject({
      kind: 'invalid',
      problem: expect.stringMatching(/^locale: /),
      issues: [{ kind: 'field', field: 'locale', code: 'invalid_value' }],
    });
    expect(recipientOf(plan, ['eve@example.com', '', '', 'p'.repeat(101)])).toMatchObject({
      kind: 'invalid',
      problem: expect.stringMatching(/^attributes\.plan: /),
      issues: [{ kind: 'field', field: 'attributes.plan', code: 'too_big', maximum: 100 }],
    });
  });

  it('holds back a row with more values than the header has columns', () => {
    expect(recipientOf(plan, ['f@example.com', 'F', 'en', 'pro', 'eu', 'surprise'])).toEqual({
      kind: 'invalid',
      problem: '6 fields, but the header has 5',
      issues: [{ kind: 'field_count', fields: 6, columns: 5 }],
    });
    expect(recipientOf(plan, ['f@example.com', 'F', 'en', 'pro', 'eu', ''])).toMatchObject({ kind: 'recipient' });
  });
});
