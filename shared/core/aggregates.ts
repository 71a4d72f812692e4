/**
 * The aggregate's arithmetic, with no I/O: which buckets a response counts in, the net delta of
 * a run of stream changes, how runs are cut to fit a transaction, and how counter slots and
 * segment buckets sum back into tallies. shared/app/aggregates.ts writes and reads the items.
 */
import { addTallies, emptyTally, isZero, move, type Category, type Tally } from '#shared/core/nps';

/** `ALL` for the overall score, `C#<id>` for one campaign. */
export type AggregateScope = 'ALL' | `C#${string}`;
export const campaignScope = (campaignId: string): AggregateScope => `C#${campaignId}`;

/**
 * Aggregate buckets within a scope. Each bucket is kept in AGGREGATE_SLOTS counter items
 * (`<bucket>#<slot>`), one per group of stream shards, so no single item takes every write;
 * a read sums the slots. Day buckets sort by date, so a range of days is one Query. A segment
 * value is counted twice: all time (`SEG#`, what a read without a range sums) and per day
 * (`SEGDAY#<attribute>#<day>#<value>`, attribute before day so that one attribute's days in a
 * range are one Query, as with `DAY#`).
 */
export const bucket = {
  total: 'TOTAL',
  day: (day: string) => `DAY#${day}`,
  segment: (attribute: string, value: string) => `SEG#${attribute}#${value}`,
  segmentDay: (attribute: string, day: string, value: string) => `SEGDAY#${attribute}#${day}#${value}`,
  dayPrefix: 'DAY#',
  segmentPrefix: (attribute?: string) => (attribute ? `SEG#${attribute}#` : 'SEG#'),
  /**
   * The sort-key range of one attribute's day-segment items from day `from` to day `to`, every
   * value and slot included: '$' is the character after '#', so `…#<to>$` sorts after every
   * `…#<to>#<value>#<slot>` and before the next day.
   */
  segmentDays: (attribute: string, from: string, to: string) => ({ from: `SEGDAY#${attribute}#${from}#`, to: `SEGDAY#${attribute}#${to}$` }),
  /**
   * The answers that mention a theme, counted in the same four cuts as all answers: all time, by
   * day, by segment value all time and by segment value on a day. The theme id (letters, digits
   * and _) comes last, so a bucket name ends `…#<value>#<theme>` and a value may hold any text.
   */
  theme: (theme: string) => `THEME#${theme}`,
  themeDay: (day: string, theme: string) => `THEMEDAY#${day}#${theme}`,
  themeSegment: (attribute: string, value: string, theme: string) => `THEMESEG#${attribute}#${value}#${theme}`,
  themeSegmentDay: (attribute: string, day: string, value: string, theme: string) => `THEMESEGDAY#${attribute}#${day}#${value}#${theme}`,
  themePrefix: 'THEME#',
  themeDayPrefix: 'THEMEDAY#',
  themeSegmentPrefix: (attribute: string, value: string) => `THEMESEG#${attribute}#${value}#`,
  themeSegmentDays: (attribute: string, from: string, to: string) => ({ from: `THEMESEGDAY#${attribute}#${from}#`, to: `THEMESEGDAY#${attribute}#${to}$` }),
} as const;

/** The theme a theme bucket (without its slot) counts, and the day and segment value it is cut by. */
export const themeBucketOf = (bucketName: string): { theme: string; day?: string; attribute?: string; value?: string } | undefined => {
  const theme = bucketName.slice(bucketName.lastIndexOf('#') + 1);
  if (/^THEME#[^#]+$/.test(bucketName)) return { theme };
  const day = /^THEMEDAY#(\d{4}-\d{2}-\d{2})#[^#]+$/.exec(bucketName);
  if (day) return { theme, day: day[1] ?? '' };
  const segment = /^THEMESEG#([^#]+)#(.*)#[^#]+$/s.exec(bucketName);
  if (segment) return { theme, attribute: segment[1] ?? '', value: segment[2] ?? '' };
  const segmentDay = /^THEMESEGDAY#([^#]+)#(\d{4}-\d{2}-\d{2})#(.*)#[^#]+$/s.exec(bucketName);
  if (segmentDay) return { theme, attribute: segmentDay[1] ?? '', day: segmentDay[2] ?? '', value: segmentDay[3] ?? '' };
  return undefined;
};

/** Which attribute and value a segment bucket (all-time or one day's, without its slot) counts. */
export const segmentOf = (bucketName: string): { attribute: string; value: string } | undefined => {
  const match = /^SEG#([^#]+)#(.*)$/s.exec(bucketName) ?? /^SEGDAY#([^#]+)#\d{4}-\d{2}-\d{2}#(.*)$/s.exec(bucketName);
  return match ? { attribute: match[1] ?? '', value: match[2] ?? '' } : undefined;
};

export const AGGREGATE_SLOTS = 8;

export const slotted = (bucketName: string, slot: number): string => `${bucketName}#${slot}`;

/** The bucket an aggregate item counts, without its slot. */
export const unslotted = (sk: string): string => sk.slice(0, sk.lastIndexOf('#'));

/**
 * One response's move between categories, as a stream record shows it: `before` from the
 * OldImage, `after` from the NewImage. A removal (TTL expiry or erasure) keeps `after` equal to
 * `before`: aggregates are history, and erasing a person must not erase their anonymous score.
 */
export interface ResponseChange {
  readonly sequenceNumber: string;
  readonly campaignId: string;
  readonly day: string;
  readonly segments: Readonly<Record<string, string>>;
  readonly before?: Category;
  readonly after?: Category;
  /** The themes the comment was tagged with before and after the write (none when absent). */
  readonly themesBefore?: readonly string[];
  readonly themesAfter?: readonly string[];
  /**
   * The campaign counters an invitation's change moves (sent, failed, scheduled, clicked, ...),
   * counted from the stream with the scores; such a change has no category before or after.
   */
  readonly counts?: Readonly<Record<string, number>>;
}

export interface AggregateDelta {
  readonly scope: AggregateScope;
  readonly bucket: string;
  readonly delta: Tally;
}

/** The counter slot a stream shard writes to: stable per shard, spread over AGGREGATE_SLOTS. */
export const slotOf = (shardId: string): number => {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < shardId.length; i++) hash = Math.imul(hash ^ shardId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % AGGREGATE_SLOTS;
};

/**
 * Every aggregate one response counts in: overall and per campaign, each on its day, and per
 * segment value both all time and on its day (so a range can be read by segment). A scope's
 * total is the sum of its days, which a score read reads for the trend anyway: a TOTAL item
 * would cost each counter run two more transactional writes (4 units) and save no read. (TOTAL
 * items written before hold the same counts as the days and are no longer read.)
 */
export const bucketsOf = (change: Pick<ResponseChange, 'campaignId' | 'day' | 'segments'>) => {
  const buckets = [
    bucket.day(change.day),
    ...Object.entries(change.segments).flatMap(([attribute, value]) => [
      bucket.segment(attribute, value),
      bucket.segmentDay(attribute, change.day, value),
    ]),
  ];
  return (['ALL', campaignScope(change.campaignId)] as const).flatMap((scope) => buckets.map((b) => ({ scope, bucket: b })));
};

/** Every theme aggregate one response counts in for one theme, in the same cuts as bucketsOf. */
export const themeBucketsOf = (change: Pick<ResponseChange, 'campaignId' | 'day' | 'segments'>, theme: string) => {
  const buckets = [
    bucket.theme(theme),
    bucket.themeDay(change.day, theme),
    ...Object.entries(change.segments).flatMap(([attribute, value]) => [
      bucket.themeSegment(attribute, value, theme),
      bucket.themeSegmentDay(attribute, change.day, value, theme),
    ]),
  ];
  return (['ALL', campaignScope(change.campaignId)] as const).flatMap((scope) => buckets.map((b) => ({ scope, bucket: b })));
};

/** How many aggregate items a transaction holds besides the stream checkpoint. */
export const MAX_AGGREGATE_ITEMS = 99;

/**
 * The themes a response counts in: as many as its tags name, up to what one transaction holds
 * beside its score items, so one response's counts always commit together. With 5 segment
 * attributes (the most a campaign has) that is 3 themes, the first ones of the theme set's order.
 */
export const themesThatFit = (themes: readonly string[], segments: Readonly<Record<string, string>>): string[] => {
  const perCut = 2 * (2 + 2 * Object.keys(segments).length);
  return themes.slice(0, Math.max(0, Math.floor((MAX_AGGREGATE_ITEMS - perCut) / perCut)));
};

/**
 * The net change of a run of responses, one entry per aggregate item that moves. A response
 * counts in its category's buckets, and for each theme it is tagged with, in that theme's
 * buckets: a write takes the old category out of the old themes and puts the new category into
 * the new ones, so a re-tag with the same score moves only theme counts.
 */
export const aggregateDeltas = (changes: readonly ResponseChange[]): AggregateDelta[] => {
  const byItem = new Map<string, AggregateDelta>();
  const add = (targets: readonly { scope: AggregateScope; bucket: string }[], delta: Tally) => {
    for (const { scope, bucket: b } of targets) {
      const id = `${scope}|${b}`;
      const prior = byItem.get(id);
      byItem.set(id, { scope, bucket: b, delta: addTallies(prior?.delta ?? emptyTally, delta) });
    }
  };
  for (const change of changes) {
    const delta = move(change.before, change.after);
    if (!isZero(delta)) add(bucketsOf(change), delta);
    if (change.before) {
      for (const theme of new Set(change.themesBefore ?? [])) add(themeBucketsOf(change, theme), move(change.before, undefined));
    }
    if (change.after) {
      for (const theme of new Set(change.themesAfter ?? [])) add(themeBucketsOf(change, theme), move(undefined, change.after));
    }
  }
  return [...byItem.values()].filter((d) => !isZero(d.delta));
};

/** The net campaign-counter moves of a run of changes, one entry per campaign that moves. */
export const countDeltas = (changes: readonly ResponseChange[]): { campaignId: string; add: Record<string, number> }[] => {
  const byCampaign = new Map<string, Record<string, number>>();
  for (const change of changes) {
    for (const [name, n] of Object.entries(change.counts ?? {})) {
      const add = byCampaign.get(change.campaignId) ?? {};
      add[name] = (add[name] ?? 0) + n;
      byCampaign.set(change.campaignId, add);
    }
  }
  return [...byCampaign]
    .map(([campaignId, add]) => ({ campaignId, add: Object.fromEntries(Object.entries(add).filter(([, n]) => n !== 0)) }))
    .filter((c) => Object.keys(c.add).length > 0);
};

/** Stream sequence numbers are decimal strings of varying length; padding makes them sort as strings. */
export const sequenceKey = (sequenceNumber: string): string => sequenceNumber.padStart(48, '0');

/**
 * Splits changes into contiguous runs whose aggregate items (at most `maxDeltas`) fit in one
 * transaction beside the checkpoint. A batch spanning many days (edits of old responses) touches a
 * day-segment item per segment value and day, so one batch may take several transactions;
 * each moves the checkpoint over exactly its own run.
 */
export const runsThatFit = (changes: readonly ResponseChange[], maxDeltas: number): ResponseChange[][] => {
  const runs: ResponseChange[][] = [];
  let run: ResponseChange[] = [];
  for (const change of changes) {
    const candidate = [...run, change];
    if (run.length > 0 && aggregateDeltas(candidate).length + countDeltas(candidate).length > maxDeltas) {
      runs.push(run);
      run = [change];
    } else run = candidate;
  }
  if (run.length > 0) runs.push(run);
  return runs;
};

const tallyOf = (item: Record<string, unknown> | undefined): Tally => ({
  promoters: Number(item?.promoters ?? 0),
  passives: Number(item?.passives ?? 0),
  detractors: Number(item?.detractors ?? 0),
});

/** Sums counter slots into one tally per bucket, in key order. */
export const sumSlots = (items: readonly Record<string, unknown>[]): Map<string, Tally> => {
  const sums = new Map<string, Tally>();
  for (const item of items) {
    const name = unslotted(String(item.SK));
    sums.set(name, addTallies(sums.get(name) ?? emptyTally, tallyOf(item)));
  }
  return sums;
};

export const DAY_MS = 86_400_000;
/** The day `days` after (or before) a UTC day. */
export const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The Monday starting the ISO week of a day, which names the week's bucket. */
export const weekOf = (day: string): string => {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return shiftDay(day, -weekday);
};

/** Whether a UTC day lies in [from, to]. */
export const inRange = (day: string, from: string, to: string) => day >= from && day <= to;

/** Segment tallies by attribute and value, from summed segment buckets (all-time or per day). */
export const segmentTallies = (buckets: ReadonlyMap<string, Tally>): Map<string, Map<string, Tally>> => {
  const segments = new Map<string, Map<string, Tally>>();
  for (const [name, tally] of buckets) {
    const segment = segmentOf(name);
    if (!segment) continue;
    const values = segments.get(segment.attribute) ?? new Map<string, Tally>();
    values.set(segment.value, addTallies(values.get(segment.value) ?? emptyTally, tally));
    segments.set(segment.attribute, values);
  }
  return segments;
};
