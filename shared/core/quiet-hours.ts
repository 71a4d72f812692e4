import * as z from 'zod/mini';

/**
 * The SMS sending window: texts go out only while the recipient's local clock reads between
 * `start` (inclusive) and `end` (exclusive). Local time comes from the runtime's own IANA time
 * zone data through `Intl`, so there is no zone database to bundle or to keep up to date.
 *
 * A window may run over midnight (`start` after `end`, e.g. 22:00–02:00); `start` equal to
 * `end` is refused rather than read as "never" or "always".
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const ClockTime = z.string().check(z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, from 00:00 to 23:59'));

export const SendWindow = z
  .strictObject({ start: ClockTime, end: ClockTime })
  .check(z.refine((w) => w.start !== w.end, { message: 'start and end must differ', path: ['end'] }));
export type SendWindow = z.infer<typeof SendWindow>;

export const DEFAULT_SEND_WINDOW: SendWindow = { start: '09:00', end: '20:00' };

// IANA names start with a letter; this also keeps out the UTC offsets ("+05:00") that newer
// engines accept as a timeZone but that know nothing of daylight saving time.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

// Building an Intl.DateTimeFormat costs a quarter of a millisecond: names are looked up once.
const MAX_REMEMBERED_NAMES = 2000;
const canonicalNames = new Map<string, string | undefined>();

/** The runtime's canonical spelling of an IANA time zone name, or undefined when it is not one. */
export const canonicalZone = (name: string): string | undefined => {
  if (name.length > 64 || !IANA_NAME.test(name)) return undefined;
  if (canonicalNames.has(name)) return canonicalNames.get(name);
  let zone: string | undefined;
  try {
    zone = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    zone = undefined;
  }
  if (canonicalNames.size < MAX_REMEMBERED_NAMES) canonicalNames.set(name, zone);
  return zone;
};

export const isTimeZone = (name: string): boolean => canonicalZone(name) !== undefined;

/** A time zone as configured (campaign default, recipient): a valid IANA name, canonicalized. */
export const TimeZone = z.pipe(
  z.string(),
  z.transform((name: string, ctx) => {
    const zone = canonicalZone(name);
    if (zone === undefined) ctx.issues.push({ code: 'custom', message: 'not an IANA time zone', input: name });
    return zone ?? z.NEVER;
  }),
);

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (zone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
};

/** The zone's wall clock at `epochMs`, written as milliseconds since 1970-01-01T00:00 on that clock. */
const wallClock = (zone: string, epochMs: number): number => {
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const { type, value } of formatterFor(zone).formatToParts(epochMs)) part[type] = Number(value);
  const millis = ((epochMs % 1000) + 1000) % 1000;
  return Date.UTC(part.year ?? 0, (part.month ?? 1) - 1, part.day ?? 1, part.hour ?? 0, part.minute ?? 0, part.second ?? 0, millis);
};

/** How far the zone's clock is ahead of UTC at an instant, in minutes (New York in July: -240). */
export const utcOffsetMinutes = (zone: string, at: Date): number => (wallClock(zone, at.getTime()) - at.getTime()) / MINUTE_MS;

const offsetMs = (zone: string, epochMs: number): number => wallClock(zone, epochMs) - epochMs;

const clockMs = (time: string): number => {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * HOUR_MS + (minutes ?? 0) * MINUTE_MS;
};

interface Bounds {
  readonly start: number;
  readonly end: number;
}

const boundsOf = (window: SendWindow): Bounds => ({ start: clockMs(window.start), end: clockMs(window.end) });

const timeOfDay = (wall: number): number => ((wall % DAY_MS) + DAY_MS) % DAY_MS;

const inside = (time: number, { start, end }: Bounds): boolean =>
  start < end ? time >= start && time < end : time >= start || time < end;

/** Whether the recipient's local clock is inside the sending window at `now`. */
export const inWindow = (now: Date, zone: string, window: SendWindow = DEFAULT_SEND_WINDOW): boolean =>
  inside(timeOfDay(wallClock(zone, now.getTime())), boundsOf(window));

// Far enough to always reach the next window start: a day, plus any clock change on the way
// (even a whole skipped calendar day, as Samoa's in 2011).
const HORIZON_MS = 2 * DAY_MS;
// Offsets are sampled this often, then each change is pinned down to the millisecond. Zones
// change their offset at most a few times a year, never twice within six hours.
const SAMPLE_MS = 6 * HOUR_MS;

/** The instants in (from, to] at which the zone's UTC offset changes (daylight saving time, mostly). */
const offsetChanges = (zone: string, from: number, to: number): number[] => {
  const changes: number[] = [];
  const pin = (low: number, high: number, lowOffset: number): void => {
    // Invariant: the offset at `low` is lowOffset and differs from the offset at `high`.
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (offsetMs(zone, middle) === lowOffset) low = middle;
      else high = middle;
    }
    changes.push(high);
  };
  let at = from;
  let offset = offsetMs(zone, at);
  while (at < to) {
    const next = Math.min(at + SAMPLE_MS, to);
    const nextOffset = offsetMs(zone, next);
    if (nextOffset !== offset) pin(at, next, offset);
    at = next;
    offset = nextOffset;
  }
  return changes;
};

/**
 * The earliest instant, not before `now`, at which the recipient's local clock is inside the
 * sending window: `now` itself when it already is, otherwise the next time the local clock
 * reaches `start` (later today or tomorrow).
 *
 * Daylight saving time: when `start` falls in an hour the clocks skip (02:30 on a spring-forward
 * day), the send time is the first instant after the jump (03:00 new time), because that is the
 * first moment the local clock reads `start` or later (a window lying wholly inside the skipped
 * hour does not happen that day). When `start` falls in an hour that repeats (fall back), the
 * send time is its first occurrence.
 */
export const nextSendTime = (now: Date, zone: string, window: SendWindow = DEFAULT_SEND_WINDOW): Date => {
  const bounds = boundsOf(window);
  const t0 = now.getTime();
  if (inside(timeOfDay(wallClock(zone, t0)), bounds)) return now;
  // Between offset changes the local clock runs with UTC, so it can enter the window only by
  // reaching `start`, or at an offset change, when it jumps.
  const until = t0 + HORIZON_MS;
  const changes = offsetChanges(zone, t0, until);
  const spanStarts = [t0, ...changes];
  let best = Number.POSITIVE_INFINITY;
  spanStarts.forEach((from, i) => {
    const to = changes[i] ?? until;
    const offset = offsetMs(zone, from);
    if (from > t0 && inside(timeOfDay(from + offset), bounds)) best = Math.min(best, from);
    for (let day = Math.floor((from + offset) / DAY_MS); day * DAY_MS - offset < to; day++) {
      const reachesStart = day * DAY_MS + bounds.start - offset;
      if (reachesStart >= from && reachesStart < to) best = Math.min(best, reachesStart);
    }
  });
  if (!Number.isFinite(best)) throw new Error(`no sending window within ${HORIZON_MS / DAY_MS} days in ${zone}`);
  return new Date(best);
};

// A common window that exists at all shows within a day; a week also rides out clock changes.
const COMMON_HORIZON_MS = 7 * DAY_MS;
const MAX_REMEMBERED_ANSWERS = 1000;
// A batch of recipients shares one `now`: recipients of one country share one answer.
const commonAnswers = new Map<string, number | undefined>();

const earliestEverywhere = (from: number, zones: readonly string[], window: SendWindow): number | undefined => {
  if (zones.length === 0) return undefined;
  const until = from + COMMON_HORIZON_MS;
  for (let t = from; t <= until; ) {
    // No instant before the latest of the zones' next openings is inside every window.
    const latest = Math.max(...zones.map((zone) => nextSendTime(new Date(t), zone, window).getTime()));
    if (latest === t) return t;
    t = latest;
  }
  return undefined;
};

/**
 * The earliest instant, not before `now`, at which the local clock is inside the sending window
 * in every one of `zones` (for a recipient known only by a country of several clocks: a US
 * phone texts only while it is 09:00–20:00 from New York to Honolulu). Undefined when there is
 * no such instant within a week (the zones lie too far apart for the window) or no zone at all.
 */
export const nextSendTimeEverywhere = (now: Date, zones: readonly string[], window: SendWindow = DEFAULT_SEND_WINDOW): Date | undefined => {
  const key = `${zones.join(',')}|${window.start}-${window.end}|${now.getTime()}`;
  if (!commonAnswers.has(key)) {
    if (commonAnswers.size >= MAX_REMEMBERED_ANSWERS) commonAnswers.clear();
    commonAnswers.set(key, earliestEverywhere(now.getTime(), zones, window));
  }
  const answer = commonAnswers.get(key);
  return answer === undefined ? undefined : new Date(answer);
};
