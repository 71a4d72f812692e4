import { describe, expect, it } from 'vitest';
import { screenRecipients, segmentValues } from '#shared/core/recipients';
import { contactKey } from '#shared/core/contacts';
import { firstSendTime } from '#shared/core/send-times';

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

  it('names no zone for a phone in a country of several clocks when neither the recipient nor the campaign does', () => {
    const { candidates } = screenRecipients({ segments: [], channel: 'sms' }, [{ phone: '+14155550123' }, { phone: '+79123456789' }]);
    expect(candidates.map((c) => c.contact.timezone)).toEqual([undefined, undefined]);
  });
});

describe('firstSendTime', () => {
  const now = new Date('2026-11-23T03:00:00Z');

  it('sends e-mail at once, or at sendAt', () => {
    expect(firstSendTime({ channel: 'email' }, {}, now)).toEqual(now);
    expect(firstSendTime({ channel: 'email', sendAt: '2026-11-24T10:00:00Z' }, {}, now)?.toISOString()).toBe('2026-11-24T10:00:00.000Z');
  });

  it("holds an SMS until 09:00 in the recipient's zone", () => {
    // 03:00 UTC is 22:00 the evening before in New York: the window opens at 09:00 EST = 14:00 UTC
    expect(firstSendTime({ channel: 'sms' }, { timezone: 'America/New_York' }, now)?.toISOString()).toBe('2026-11-23T14:00:00.000Z');
    // ... and in Tokyo it is already 12:00: inside the window
    expect(firstSendTime({ channel: 'sms' }, { timezone: 'Asia/Tokyo' }, now)).toEqual(now);
  });

  it('honours a campaign window', () => {
    const sent = firstSendTime({ channel: 'sms', sendWindow: { start: '13:00', end: '14:00' } }, { timezone: 'Asia/Tokyo' }, now);
    expect(sent?.toISOString()).toBe('2026-11-23T04:00:00.000Z');
  });
});

describe('firstSendTime for a phone whose country has several clocks and no zone named', () => {
  const sms = { channel: 'sms' as const };
  const us = { phone: '+14155550123' };
  const ru = { phone: '+79123456789' };
  const sendAt = (contact: { phone: string }, iso: string, campaign: Parameters<typeof firstSendTime>[0] = sms) =>
    firstSendTime(campaign, contact, new Date(iso))?.toISOString();

  it('holds a US text until 09:00 in Hawaii, when it is 14:00 in New York (the reported 14:06Z send)', () => {
    // 14:06Z is 09:06 in New York, 06:06 in California and 04:06 in Honolulu
    expect(sendAt(us, '2026-12-01T14:06:00Z')).toBe('2026-12-01T19:00:00.000Z');
  });

  it('sends a US text at once while every US zone is inside 09:00–20:00', () => {
    expect(sendAt(us, '2026-12-01T22:30:00Z')).toBe('2026-12-01T22:30:00.000Z'); // 17:30 New York, 12:30 Honolulu
  });

  it('holds a US text from 20:00 in New York to the next 09:00 in Hawaii', () => {
    // winter: New York is UTC−5, so 01:00Z is 20:00 there
    expect(sendAt(us, '2026-12-02T01:00:00Z')).toBe('2026-12-02T19:00:00.000Z');
  });

  it('follows the US spring change: after it, the window closes an hour earlier in UTC', () => {
    // 2026-03-09T00:30Z: 20:30 EDT in New York (19:30 had the clocks not changed on 8 March)
    expect(sendAt(us, '2026-03-09T00:30:00Z')).toBe('2026-03-09T19:00:00.000Z');
    // the day before the change, the same UTC time is 19:30 EST: open
    expect(sendAt(us, '2026-03-08T00:30:00Z')).toBe('2026-03-08T00:30:00.000Z');
  });

  it('follows the US autumn change: after it, the window closes an hour later in UTC', () => {
    // 2026-10-31T00:30Z is 20:30 EDT: closed until 09:00 in Hawaii
    expect(sendAt(us, '2026-10-31T00:30:00Z')).toBe('2026-10-31T19:00:00.000Z');
    // 2026-11-02T00:30Z is 19:30 EST, after New York fell back on 1 November: open
    expect(sendAt(us, '2026-11-02T00:30:00Z')).toBe('2026-11-02T00:30:00.000Z');
  });

  it('holds a Russian text to the one hour that is inside 09:00–20:00 from Kaliningrad to Kamchatka', () => {
    // Kaliningrad is UTC+2, Kamchatka UTC+12: 07:00Z is 09:00 and 19:00; 08:00Z is 10:00 and 20:00
    expect(sendAt(ru, '2026-12-01T03:00:00Z')).toBe('2026-12-01T07:00:00.000Z');
    expect(sendAt(ru, '2026-12-01T07:30:00Z')).toBe('2026-12-01T07:30:00.000Z');
    expect(sendAt(ru, '2026-12-01T08:00:00Z')).toBe('2026-12-02T07:00:00.000Z');
  });

  it('keeps the Russian hour across the date Russia used to change its clocks (it no longer does)', () => {
    // the last Sunday of March 2026, and the last Sunday of October 2026
    expect(sendAt(ru, '2026-03-29T06:30:00Z')).toBe('2026-03-29T07:00:00.000Z');
    expect(sendAt(ru, '2026-03-29T08:00:00Z')).toBe('2026-03-30T07:00:00.000Z');
    expect(sendAt(ru, '2026-10-25T08:00:00Z')).toBe('2026-10-26T07:00:00.000Z');
  });

  it("uses the campaign's zone when the campaign names one", () => {
    expect(sendAt(us, '2026-12-01T14:06:00Z', { ...sms, timezone: 'America/New_York' })).toBe('2026-12-01T14:06:00.000Z');
  });

  it('finds no time when no moment is inside the window in every zone of the country', () => {
    // four hours a night cannot be inside the window from New York (UTC−5) to Honolulu (UTC−10)
    expect(sendAt(us, '2026-12-01T14:06:00Z', { ...sms, sendWindow: { start: '22:00', end: '02:00' } })).toBeUndefined();
  });

  it('finds no time for a number of no country, with no zone from the recipient or the campaign', () => {
    expect(firstSendTime(sms, { phone: '+80012345678' }, new Date('2026-12-01T14:06:00Z'))).toBeUndefined();
  });
});
