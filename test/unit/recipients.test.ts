import { describe, expect, it } from 'vitest';
import { screenRecipients, segmentValues } from '#shared/recipients';
import { contactKey } from '#shared/contacts';
import { firstSendTime } from '#shared/invitations';

describe('screenRecipients', () => {
  it('skips invalid e-mails and duplicates within the call, case-insensitively', () => {
    // GIVEN x, y, a bad address and X in upper case
    const { candidates, skipped } = screenRecipients({ segments: [] }, [
      { email: 'x@example.com' },
      { email: ' y@example.com ' },
      { email: 'not-an-email' },
      { email: 'X@Example.COM' },
      {},
    ]);
    // THEN two candidates, normalized, and each skip named with its index
    expect(candidates.map((c) => c.contact.email)).toEqual(['x@example.com', 'y@example.com']);
    expect(skipped).toEqual([
      { index: 2, reason: 'invalid_email' },
      { index: 3, reason: 'duplicate' },
      { index: 4, reason: 'invalid_email' },
    ]);
  });

  it('keys contacts by a hash, never by the address itself', () => {
    const { candidates } = screenRecipients({ segments: [] }, [{ email: 'x@example.com' }]);
    expect(candidates[0]?.contactKey).toBe(contactKey('email', 'x@example.com'));
    expect(candidates[0]?.contactKey).not.toContain('example');
  });

  it('captures only the campaign segments, as strings', () => {
    expect(segmentValues(['plan', 'region'], { plan: 'pro', seats: 5, region: 'eu' })).toEqual({ plan: 'pro', region: 'eu' });
    expect(segmentValues(['plan'], { paid: true })).toEqual({ plan: '(none)' });
  });

  it('reads segments named like built-in object properties from the data only', () => {
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
    expect(segmentValues(names, { plan: 'pro' })).toEqual(Object.fromEntries(names.map((n) => [n, '(none)'])));
    expect(segmentValues(['toString'], { toString: 'gold' })).toEqual({ toString: 'gold' });
  });
});

describe('screenRecipients for an SMS campaign', () => {
  const sms = { segments: [], channel: 'sms' as const, timezone: 'Europe/London' };

  it('normalizes phones to E.164 and skips invalid ones as invalid_phone', () => {
    // GIVEN two valid mobiles (one written nationally) and two bad numbers
    const { candidates, skipped } = screenRecipients({ ...sms, defaultCountry: 'GB' }, [
      { phone: '+44 7911 123456' },
      { phone: '07911 123457' },
      { phone: '12345' },
      { email: 'no-phone@example.com' },
    ]);
    expect(candidates.map((c) => c.contact.phone)).toEqual(['+447911123456', '+447911123457']);
    expect(skipped).toEqual([
      { index: 2, reason: 'invalid_phone' },
      { index: 3, reason: 'invalid_phone' },
    ]);
  });

  it('skips a landline, which cannot receive a text', () => {
    expect(screenRecipients(sms, [{ phone: '+7 495 123-45-67' }]).skipped).toEqual([{ index: 0, reason: 'invalid_phone' }]);
  });

  it("takes the recipient's zone, else the phone country's single zone, else the campaign's", () => {
    const { candidates } = screenRecipients(sms, [
      { phone: '+447911123456', timezone: 'Asia/Tokyo' },
      { phone: '+4915123456789' },
      { phone: '+12025550123' },
    ]);
    expect(candidates.map((c) => c.contact.timezone)).toEqual(['Asia/Tokyo', 'Europe/Berlin', 'Europe/London']);
  });
});

describe('firstSendTime', () => {
  const now = new Date('2026-11-23T03:00:00Z');

  it('sends e-mail at once, or at sendAt', () => {
    expect(firstSendTime({ channel: 'email' }, {}, now)).toEqual(now);
    expect(firstSendTime({ channel: 'email', sendAt: '2026-11-24T10:00:00Z' }, {}, now).toISOString()).toBe('2026-11-24T10:00:00.000Z');
  });

  it("holds an SMS until 09:00 in the recipient's zone", () => {
    // 03:00 UTC is 22:00 the evening before in New York: the window opens at 09:00 EST = 14:00 UTC
    expect(firstSendTime({ channel: 'sms' }, { timezone: 'America/New_York' }, now).toISOString()).toBe('2026-11-23T14:00:00.000Z');
    // ... and in Tokyo it is already 12:00: inside the window
    expect(firstSendTime({ channel: 'sms' }, { timezone: 'Asia/Tokyo' }, now)).toEqual(now);
  });

  it('honours a campaign window', () => {
    const sent = firstSendTime({ channel: 'sms', sendWindow: { start: '13:00', end: '14:00' } }, { timezone: 'Asia/Tokyo' }, now);
    expect(sent.toISOString()).toBe('2026-11-23T04:00:00.000Z');
  });
});
