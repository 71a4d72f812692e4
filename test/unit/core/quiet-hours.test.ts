import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getCountry } from 'countries-and-timezones';
import {
  DEFAULT_SEND_WINDOW,
  SendWindow,
  TimeZone,
  canonicalZone,
  inWindow,
  nextSendTime,
  nextSendTimeEverywhere,
  utcOffsetMinutes,
} from '#shared/core/quiet-hours';
import { countryClocks } from '#shared/core/phones';

const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('SendWindow', () => {
  it('accepts HH:MM pairs, including windows over midnight', () => {
    expect(SendWindow.parse({ start: '00:00', end: '23:59' })).toEqual({ start: '00:00', end: '23:59' });
    expect(SendWindow.safeParse({ start: '22:00', end: '02:00' }).success).toBe(true);
  });

  it.each([
    ['an hour without its leading zero', { start: '9:00', end: '20:00' }],
    ['24:00', { start: '09:00', end: '24:00' }],
    ['minutes past 59', { start: '09:60', end: '20:00' }],
    ['an empty window', { start: '09:00', end: '09:00' }],
    ['an unknown field', { start: '09:00', end: '20:00', days: 'weekdays' }],
  ])('refuses %s', (_, window) => {
    expect(SendWindow.safeParse(window).success).toBe(false);
  });

  it('defaults to 09:00–20:00', () => {
    expect(DEFAULT_SEND_WINDOW).toEqual({ start: '09:00', end: '20:00' });
  });
});

describe('time zone names', () => {
  it.each([
    ['America/New_York', 'America/New_York'],
    ['america/new_york', 'America/New_York'],
    ['US/Eastern', 'America/New_York'],
    ['Europe/Moscow', 'Europe/Moscow'],
    ['UTC', 'UTC'],
  ])('GIVEN %s THEN the zone is %s', (name, zone) => {
    expect(canonicalZone(name)).toBe(zone);
    expect(TimeZone.parse(name)).toBe(zone);
  });

  it.each(['Mars/Olympus_Mons', '+05:00', '', 'Europe/Moscow; DROP TABLE', 'x'.repeat(65)])('refuses %j', (name) => {
    expect(canonicalZone(name)).toBeUndefined();
    expect(TimeZone.safeParse(name).success).toBe(false);
  });
});

describe('utcOffsetMinutes', () => {
  it.each([
    ['America/New_York', '2026-01-15T12:00:00Z', -300],
    ['America/New_York', '2026-07-15T12:00:00Z', -240],
    ['Europe/Moscow', '2026-07-15T12:00:00Z', 180],
    ['Asia/Kathmandu', '2026-07-15T12:00:00Z', 345],
    // Lord Howe moves its clocks by half an hour: 2026-10-04 02:00 local (+10:30) becomes 02:30 (+11).
    ['Australia/Lord_Howe', '2026-10-03T15:29:59.999Z', 630],
    ['Australia/Lord_Howe', '2026-10-03T15:30:00Z', 660],
  ])('%s at %s is %i', (zone, iso, minutes) => {
    expect(utcOffsetMinutes(zone, at(iso))).toBe(minutes);
  });
});

describe('inWindow', () => {
  it.each([
    // zone, instant, window, inside
    ['America/New_York', '2026-06-01T13:00:00Z', DEFAULT_SEND_WINDOW, true], // 09:00 EDT: start is inside
    ['America/New_York', '2026-06-01T12:59:59.999Z', DEFAULT_SEND_WINDOW, false], // 08:59:59.999
    ['America/New_York', '2026-06-01T23:59:59.999Z', DEFAULT_SEND_WINDOW, true], // 19:59:59.999
    ['America/New_York', '2026-06-02T00:00:00Z', DEFAULT_SEND_WINDOW, false], // 20:00: end is outside
    ['Europe/Moscow', '2026-06-01T06:00:00Z', DEFAULT_SEND_WINDOW, true], // 09:00 MSK
    ['Europe/Moscow', '2026-06-01T05:59:00Z', DEFAULT_SEND_WINDOW, false],
    ['Europe/Moscow', '2026-06-01T20:00:00Z', { start: '22:00', end: '02:00' }, true], // 23:00, over midnight
    ['Europe/Moscow', '2026-06-01T22:30:00Z', { start: '22:00', end: '02:00' }, true], // 01:30
    ['Europe/Moscow', '2026-06-01T12:00:00Z', { start: '22:00', end: '02:00' }, false], // 15:00
  ] as const)('%s at %s in %o is %s', (zone, iso, window, inside) => {
    expect(inWindow(at(iso), zone, window)).toBe(inside);
  });

  it('uses the default window when none is given', () => {
    expect(inWindow(at('2026-06-01T13:00:00Z'), 'America/New_York')).toBe(true);
    expect(inWindow(at('2026-06-01T12:00:00Z'), 'America/New_York')).toBe(false);
  });
});

describe('nextSendTime', () => {
  it.each([
    // case, zone, now, window, expected send time
    ['inside the window: now', 'America/New_York', '2026-06-01T15:00:00Z', DEFAULT_SEND_WINDOW, '2026-06-01T15:00:00.000Z'],
    ['before the window: 09:00 today', 'America/New_York', '2026-06-01T10:00:00Z', DEFAULT_SEND_WINDOW, '2026-06-01T13:00:00.000Z'],
    ['at the end: 09:00 tomorrow', 'America/New_York', '2026-06-02T00:00:00Z', DEFAULT_SEND_WINDOW, '2026-06-02T13:00:00.000Z'],
    // America/New_York springs forward on 2026-03-08 at 02:00 EST (07:00Z) to 03:00 EDT.
    ['NY, evening before spring forward: 09:00 EDT', 'America/New_York', '2026-03-08T02:00:00Z', DEFAULT_SEND_WINDOW, '2026-03-08T13:00:00.000Z'],
    ['NY, 01:30 EST on spring forward day: 09:00 EDT', 'America/New_York', '2026-03-08T06:30:00Z', DEFAULT_SEND_WINDOW, '2026-03-08T13:00:00.000Z'],
    ['NY, 20:00 EST the day before: 09:00 EDT, 12 hours later', 'America/New_York', '2026-03-08T01:00:00Z', DEFAULT_SEND_WINDOW, '2026-03-08T13:00:00.000Z'],
    ['NY, start in the skipped hour: the jump, 03:00 EDT', 'America/New_York', '2026-03-08T05:00:00Z', { start: '02:30', end: '20:00' }, '2026-03-08T07:00:00.000Z'],
    ['NY, start in the skipped hour, the day after: 02:30 EDT', 'America/New_York', '2026-03-09T01:00:00Z', { start: '02:30', end: '20:00' }, '2026-03-09T06:30:00.000Z'],
    // America/New_York falls back on 2026-11-01 at 02:00 EDT (06:00Z) to 01:00 EST.
    ['NY, evening before fall back: 09:00 EST', 'America/New_York', '2026-11-01T01:00:00Z', DEFAULT_SEND_WINDOW, '2026-11-01T14:00:00.000Z'],
    ['NY, first 01:30 (EDT): 09:00 EST', 'America/New_York', '2026-11-01T05:30:00Z', DEFAULT_SEND_WINDOW, '2026-11-01T14:00:00.000Z'],
    ['NY, second 01:30 (EST): 09:00 EST', 'America/New_York', '2026-11-01T06:30:00Z', DEFAULT_SEND_WINDOW, '2026-11-01T14:00:00.000Z'],
    ['NY, start in the repeated hour: its first occurrence', 'America/New_York', '2026-11-01T04:00:00Z', { start: '01:30', end: '20:00' }, '2026-11-01T05:30:00.000Z'],
    ['NY, after the clocks fell back below start: start again', 'America/New_York', '2026-11-01T06:10:00Z', { start: '01:30', end: '20:00' }, '2026-11-01T06:30:00.000Z'],
    // Europe/Moscow has no DST (UTC+3 all year), on the days Europe changes its clocks too.
    ['Moscow, before the window', 'Europe/Moscow', '2026-03-29T05:59:00Z', DEFAULT_SEND_WINDOW, '2026-03-29T06:00:00.000Z'],
    ['Moscow, after the window', 'Europe/Moscow', '2026-10-25T17:00:00Z', DEFAULT_SEND_WINDOW, '2026-10-26T06:00:00.000Z'],
    // Australia/Lord_Howe: +10:30 → +11 on 2026-10-04 at 02:00 (15:30Z), +11 → +10:30 on 2026-04-05 at 02:00 (15:00Z).
    ['Lord Howe, start in the skipped half hour: the jump, 02:30', 'Australia/Lord_Howe', '2026-10-03T14:00:00Z', { start: '02:15', end: '20:00' }, '2026-10-03T15:30:00.000Z'],
    ['Lord Howe, start in the repeated half hour: first occurrence', 'Australia/Lord_Howe', '2026-04-04T14:00:00Z', { start: '01:45', end: '20:00' }, '2026-04-04T14:45:00.000Z'],
    ['Lord Howe, default window after spring forward', 'Australia/Lord_Howe', '2026-10-03T12:00:00Z', DEFAULT_SEND_WINDOW, '2026-10-03T22:00:00.000Z'],
    // Windows over midnight.
    ['over midnight, before it: start today', 'Europe/Moscow', '2026-06-01T12:00:00Z', { start: '22:00', end: '02:00' }, '2026-06-01T19:00:00.000Z'],
    ['over midnight, after 02:00: start today', 'Europe/Moscow', '2026-06-01T23:30:00Z', { start: '22:00', end: '02:00' }, '2026-06-02T19:00:00.000Z'],
    // Half and three-quarter hour zones.
    ['Kathmandu (+05:45)', 'Asia/Kathmandu', '2026-06-01T00:00:00Z', DEFAULT_SEND_WINDOW, '2026-06-01T03:15:00.000Z'],
    ['Kolkata (+05:30)', 'Asia/Kolkata', '2026-06-01T15:00:00Z', DEFAULT_SEND_WINDOW, '2026-06-02T03:30:00.000Z'],
  ] as const)('%s', (_, zone, now, window, expected) => {
    expect(nextSendTime(at(now), zone, window).toISOString()).toBe(expected);
  });

  it('returns the very instant it was given when inside the window', () => {
    const now = at('2026-06-01T15:00:00.123Z');
    expect(nextSendTime(now, 'America/New_York')).toBe(now);
  });

  it('fails loudly for a zone that does not exist', () => {
    expect(() => nextSendTime(at('2026-06-01T15:00:00Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  describe('properties', () => {
    const zones = [
      'America/New_York', 'America/Los_Angeles', 'America/St_Johns', 'America/Santiago', 'America/Havana',
      'America/Asuncion', 'Europe/London', 'Europe/Moscow', 'Africa/Casablanca', 'Asia/Tehran', 'Asia/Kolkata',
      'Asia/Kathmandu', 'Australia/Sydney', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Pacific/Kiritimati',
      'Pacific/Apia', 'UTC',
    ];
    // Known clock changes, so that instants near them are drawn far more often than by chance.
    const changes: readonly (readonly [string, string])[] = [
      ['America/New_York', '2026-03-08T07:00:00Z'],
      ['America/New_York', '2026-11-01T06:00:00Z'],
      ['Europe/London', '2026-03-29T01:00:00Z'],
      ['Europe/London', '2026-10-25T01:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
    ];
    const clock = fc.oneof(
      fc.integer({ min: 0, max: 1439 }),
      fc.integer({ min: 60, max: 179 }), // 01:00–02:59, where clocks jump
    );
    const toHHMM = (minutes: number) =>
      `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const window = fc
      .tuple(clock, clock)
      .filter(([start, end]) => start !== end)
      .map(([start, end]) => ({ start: toHHMM(start), end: toHHMM(end) }));
    const anyTime = fc.tuple(
      fc.constantFrom(...zones),
      fc.date({ min: at('2025-01-01T00:00:00Z'), max: at('2028-12-31T00:00:00Z'), noInvalidDate: true }),
    );
    const nearChange = fc
      .tuple(fc.constantFrom(...changes), fc.integer({ min: -30 * HOUR, max: 30 * HOUR }))
      .map(([[zone, change], delta]) => [zone, new Date(Date.parse(change) + delta)] as const);
    const situation = fc.tuple(fc.oneof(anyTime, nearChange), window);

    const lengthOf = ({ start, end }: SendWindow) => {
      const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
      return (((minutes(end) - minutes(start)) % 1440) + 1440) % 1440;
    };

    it('is never before now, is inside the window, and is at most 25 hours ahead', () => {
      fc.assert(
        fc.property(situation, ([[zone, now], window]) => {
          const send = nextSendTime(now, zone, window);
          expect(send.getTime()).toBeGreaterThanOrEqual(now.getTime());
          expect(inWindow(send, zone, window)).toBe(true);
          // The wait is the rest of the day outside the window, plus at most an hour of DST.
          // A window that fits inside a skipped hour is skipped that day (London, 01:10–01:20 on
          // the last Sunday of March), so the bound holds for windows longer than an hour.
          const limit = lengthOf(window) > 60 ? 24 * HOUR - lengthOf(window) * MINUTE + HOUR : 48 * HOUR;
          expect(send.getTime() - now.getTime()).toBeLessThanOrEqual(limit);
        }),
        { numRuns: 400 },
      );
    });

    it('skips a window that lies inside the hour the clocks skip', () => {
      // London springs forward on 2026-03-29 at 01:00 GMT, straight to 02:00 BST.
      const send = nextSendTime(at('2026-03-28T02:00:00Z'), 'Europe/London', { start: '01:10', end: '01:20' });
      expect(send.toISOString()).toBe('2026-03-30T00:10:00.000Z'); // 01:10 BST the day after
    });

    it('is the earliest such instant: no minute between now and it is inside the window', () => {
      fc.assert(
        fc.property(situation, ([[zone, now], window]) => {
          const send = nextSendTime(now, zone, window).getTime();
          for (let t = Math.ceil(now.getTime() / MINUTE) * MINUTE; t < send; t += MINUTE) {
            expect(inWindow(new Date(t), zone, window)).toBe(false);
          }
        }),
        { numRuns: 60 },
      );
    });
  });
});

describe('nextSendTimeEverywhere', () => {
  const countries = ['US', 'CA', 'RU', 'BR', 'AU', 'MX', 'ID', 'CL', 'KZ'] as const;
  /** Every zone the country lists, not only the distinct clocks the code keeps. */
  const everyZoneOf = (country: string) => getCountry(country)?.timezones ?? [];
  // Countries' clocks are told apart over the past and the coming year: draw instants there.
  const now = Date.now();
  const year = 360 * 24 * HOUR;
  /** The instants in the coming year at which the zone changes its clock, to the minute. */
  const upcomingChanges = (zone: string): number[] => {
    const found: number[] = [];
    for (let day = now; day < now + year; day += 24 * HOUR) {
      let [low, high] = [day, day + 24 * HOUR];
      if (utcOffsetMinutes(zone, new Date(low)) === utcOffsetMinutes(zone, new Date(high))) continue;
      while (high - low > MINUTE) {
        const middle = low + Math.floor((high - low) / 2);
        if (utcOffsetMinutes(zone, new Date(middle)) === utcOffsetMinutes(zone, new Date(low))) low = middle;
        else high = middle;
      }
      found.push(high);
    }
    return found;
  };
  const changes = ['America/New_York', 'Australia/Sydney', 'America/Santiago'].flatMap(upcomingChanges);
  const instant = fc.oneof(
    fc.date({ min: new Date(now), max: new Date(now + year), noInvalidDate: true }),
    fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -30 * HOUR, max: 30 * HOUR })).map(([c, d]) => new Date(c + d)),
  );
  const situation = fc.tuple(fc.constantFrom(...countries), instant);

  it('chooses an instant, not before now, inside 09:00–20:00 in every zone of the country', () => {
    fc.assert(
      fc.property(situation, ([country, now]) => {
        const send = nextSendTimeEverywhere(now, countryClocks(country), DEFAULT_SEND_WINDOW);
        expect(send).toBeDefined();
        expect(send?.getTime()).toBeGreaterThanOrEqual(now.getTime());
        for (const zone of everyZoneOf(country)) expect([zone, inWindow(send ?? now, zone)]).toEqual([zone, true]);
      }),
      { numRuns: 300 },
    );
  });

  it('chooses the earliest such instant: no minute before it is inside the window everywhere', () => {
    fc.assert(
      fc.property(situation, ([country, now]) => {
        const zones = everyZoneOf(country);
        const send = nextSendTimeEverywhere(now, countryClocks(country), DEFAULT_SEND_WINDOW)?.getTime() ?? 0;
        for (let t = Math.ceil(now.getTime() / MINUTE) * MINUTE; t < send; t += 5 * MINUTE) {
          expect(zones.every((zone) => inWindow(new Date(t), zone))).toBe(false);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('is undefined when the zones share no moment of the window', () => {
    const window = { start: '22:00', end: '02:00' };
    expect(nextSendTimeEverywhere(at('2026-12-01T12:00:00Z'), ['America/New_York', 'Pacific/Honolulu'], window)).toBeUndefined();
  });

  it('is undefined for no zone at all, rather than any zone by default', () => {
    expect(nextSendTimeEverywhere(at('2026-12-01T12:00:00Z'), [])).toBeUndefined();
  });
});
