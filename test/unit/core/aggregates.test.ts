import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AGGREGATE_SLOTS,
  aggregateDeltas,
  bucket,
  bucketsOf,
  MAX_AGGREGATE_ITEMS,
  segmentTallies,
  sequenceKey,
  themeBucketOf,
  themesThatFit,
  slotOf,
  slotted,
  sumSlots,
  weekOf,
  type ResponseChange,
} from '#shared/core/aggregates';
import { addTallies, category, emptyTally, move, type Category, type Tally } from '#shared/core/nps';
import { responseChange } from '#test/fixtures/response-change';

const change = responseChange;

describe('aggregateDeltas', () => {
  it('counts a new response on its day, overall and in its campaign, and in no total item (a total is the sum of the days)', () => {
    const deltas = aggregateDeltas([change({ after: 'detractor' })]);
    expect(deltas.map((d) => `${d.scope}|${d.bucket}`).sort()).toEqual(['ALL|DAY#2026-11-23', 'C#c1|DAY#2026-11-23']);
    expect(deltas.every((d) => d.delta.detractors === 1)).toBe(true);
  });

  it('nets a batch per aggregate item: one write per item, not per response', () => {
    const deltas = aggregateDeltas([
      change({ sequenceNumber: '1', after: 'promoter' }),
      change({ sequenceNumber: '2', after: 'promoter' }),
      change({ sequenceNumber: '3', before: 'promoter', after: 'detractor' }),
    ]);
    expect(deltas).toHaveLength(2);
    expect(deltas[0]?.delta).toEqual({ promoters: 1, passives: 0, detractors: 1 });
  });

  it('drops items whose changes cancel out', () => {
    const deltas = aggregateDeltas([
      change({ sequenceNumber: '1', before: 'passive', after: 'promoter' }),
      change({ sequenceNumber: '2', before: 'promoter', after: 'passive' }),
    ]);
    expect(deltas).toEqual([]);
  });

  it('counts each segment value of the response', () => {
    expect(bucketsOf(change({ segments: { plan: 'pro', region: 'eu' } })).map((b) => b.bucket)).toContain('SEG#plan#pro');
  });

  it('counts each segment value on the day of the response too, overall and per campaign', () => {
    const buckets = bucketsOf(change({ day: '2026-11-23', segments: { plan: 'pro', region: 'eu' } })).map((b) => `${b.scope}|${b.bucket}`);
    expect(buckets).toEqual(
      expect.arrayContaining([
        'ALL|SEGDAY#plan#2026-11-23#pro',
        'ALL|SEGDAY#region#2026-11-23#eu',
        'C#c1|SEGDAY#plan#2026-11-23#pro',
        'C#c1|SEGDAY#region#2026-11-23#eu',
      ]),
    );
    // day, and per attribute all-time and on the day; in two scopes
    expect(buckets).toHaveLength(2 * (1 + 2 * 2));
  });
});

/**
 * A model of the table: aggregate items by sort key (bucket and counter slot), written the way
 * the consumer writes them, net deltas per batch, each batch from some shard's slot.
 */
const ATTRIBUTES = ['plan', 'region'] as const;
const DAYS = ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'];
// Values a recipient may send: key separators and characters that sort around them included.
const VALUES = ['pro', 'free', 'a#b', '~', '$', 'é', '', '(none)', '2026-11-30#x'];

const write = fc.record({
  invitation: fc.integer({ min: 0, max: 12 }),
  score: fc.integer({ min: 0, max: 10 }),
  day: fc.constantFrom(...DAYS),
  plan: fc.constantFrom(...VALUES),
  region: fc.constantFrom(...VALUES),
  removed: fc.boolean(),
});

type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;
/** An aggregate item as stored: its sort key and counts. */
type Item = { readonly SK: string; readonly promoters: number; readonly passives: number; readonly detractors: number };

/** Replays answers, edits and removals as the stream shows them: day and segments are the first answer's. */
const historyOf = (writes: readonly Write[]) => {
  const current = new Map<number, { day: string; segments: Record<string, string>; category: Category }>();
  const counted = new Map<number, { day: string; segments: Record<string, string>; category: Category }>();
  const changes: ResponseChange[] = writes.map((w, i) => {
    const before = current.get(w.invitation);
    const first = before ?? { day: w.day, segments: { plan: w.plan, region: w.region } };
    const after = w.removed && before ? before : { ...first, category: category(w.score) };
    current.set(w.invitation, after);
    counted.set(w.invitation, after); // a removal keeps the score: aggregates are history
    return { sequenceNumber: String(i + 1), campaignId: 'c1', day: first.day, segments: first.segments, ...(before ? { before: before.category } : {}), after: after.category };
  });
  return { changes, responses: [...counted.values()] };
};

const tableOf = (changes: readonly ResponseChange[], batchSize: number) => {
  const items = new Map<string, Item>();
  for (let i = 0; i < changes.length; i += batchSize) {
    const slot = (i / batchSize) % AGGREGATE_SLOTS;
    for (const d of aggregateDeltas(changes.slice(i, i + batchSize))) {
      if (d.scope !== 'C#c1') continue;
      const sk = slotted(d.bucket, slot);
      items.set(sk, { SK: sk, ...addTallies(items.get(sk) ?? emptyTally, d.delta) });
    }
  }
  return [...items.values()];
};

/** What the read Queries: each attribute's day-segment items between the range's keys. */
const segmentsInRange = (items: readonly Item[], from: string, to: string) => {
  const read = ATTRIBUTES.flatMap((attribute) => {
    const range = bucket.segmentDays(attribute, from, to);
    return items.filter((item) => item.SK >= range.from && item.SK <= range.to);
  });
  return plain(segmentTallies(sumSlots(read)));
};

const plain = (segments: Map<string, Map<string, Tally>>) =>
  Object.fromEntries([...segments].map(([a, values]) => [a, Object.fromEntries([...values].sort(([x], [y]) => (x < y ? -1 : 1)))]));

const recount = (responses: readonly { day: string; segments: Record<string, string>; category: Category }[], from: string, to: string) => {
  const segments = new Map<string, Map<string, Tally>>();
  for (const r of responses.filter((r) => r.day >= from && r.day <= to)) {
    for (const [attribute, value] of Object.entries(r.segments)) {
      const values = segments.get(attribute) ?? new Map<string, Tally>();
      values.set(value, addTallies(values.get(value) ?? emptyTally, move(undefined, r.category)));
      segments.set(attribute, values);
    }
  }
  return plain(segments);
};

describe('segments by day', () => {
  it('summed over any range of days, equal a recount of the responses first given in that range', () => {
    fc.assert(
      fc.property(
        fc.array(write, { maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom('2026-11-01', ...DAYS),
        fc.constantFrom(...DAYS, '2026-12-31'),
        (writes, batchSize, from, to) => {
          const { changes, responses } = historyOf(writes);
          expect(segmentsInRange(tableOf(changes, batchSize), from, to)).toEqual(recount(responses, from, to));
        },
      ),
    );
  });

  it('summed over every day, equal the all-time segment buckets a read without a range uses', () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 60 }), fc.integer({ min: 1, max: 25 }), (writes, batchSize) => {
        const items = tableOf(historyOf(writes).changes, batchSize);
        const allTime = items.filter((item) => item.SK.startsWith(bucket.segmentPrefix()));
        expect(segmentsInRange(items, '0000-00-00', '9999-99-99')).toEqual(plain(segmentTallies(sumSlots(allTime))));
      }),
    );
  });
});

describe('sequenceKey', () => {
  it('orders stream sequence numbers of different lengths as numbers', () => {
    expect(sequenceKey('999') < sequenceKey('1000')).toBe(true);
    expect(sequenceKey('4000000000000000000001') > sequenceKey('399999999999999999999')).toBe(true);
  });
});

describe('counter slots', () => {
  it('keeps a shard on one slot and spreads shards over all slots', () => {
    expect(slotOf('shardId-0001')).toBe(slotOf('shardId-0001'));
    const slots = new Set(Array.from({ length: 200 }, (_, i) => slotOf(`shardId-${String(i).padStart(20, '0')}-abc`)));
    expect(slots.size).toBe(AGGREGATE_SLOTS);
  });
});

describe('weekOf', () => {
  it.each([
    ['2026-11-23', '2026-11-23'], // a Monday
    ['2026-11-29', '2026-11-23'], // the Sunday after
    ['2026-01-01', '2025-12-29'], // across a year
  ])('puts %s in the week starting %s', (day, monday) => {
    expect(weekOf(day)).toBe(monday);
  });
});

describe('theme counts', () => {
  const themeDeltas = (changes: ResponseChange[]) =>
    Object.fromEntries(aggregateDeltas(changes).filter((d) => d.bucket.startsWith('THEME')).map((d) => [`${d.scope}|${d.bucket}`, d.delta]));

  it('count a new tagged answer in each of its themes, all time and on its day, per scope', () => {
    const deltas = themeDeltas([change({ after: 'detractor', themesAfter: ['price'] })]);
    expect(Object.keys(deltas).sort()).toEqual(['ALL|THEME#price', 'ALL|THEMEDAY#2026-11-23#price', 'C#c1|THEME#price', 'C#c1|THEMEDAY#2026-11-23#price']);
    expect(Object.values(deltas).every((d) => d.detractors === 1)).toBe(true);
  });

  it('move only theme counts on a re-tag that keeps the score', () => {
    const deltas = aggregateDeltas([change({ before: 'passive', after: 'passive', themesBefore: ['price'], themesAfter: ['support'] })]);
    expect(deltas.every((d) => d.bucket.startsWith('THEME'))).toBe(true);
    expect(deltas.find((d) => d.scope === 'ALL' && d.bucket === bucket.theme('price'))?.delta).toEqual({ promoters: 0, passives: -1, detractors: 0 });
    expect(deltas.find((d) => d.scope === 'ALL' && d.bucket === bucket.theme('support'))?.delta).toEqual({ promoters: 0, passives: 1, detractors: 0 });
  });

  it('move a kept theme between categories when the score changes', () => {
    const deltas = themeDeltas([change({ before: 'detractor', after: 'promoter', themesBefore: ['price'], themesAfter: ['price'] })]);
    expect(deltas['ALL|THEME#price']).toEqual({ promoters: 1, passives: 0, detractors: -1 });
  });

  it('leave theme counts alone when a tagged response is removed (erasure, expiry)', () => {
    expect(themeDeltas([change({ before: 'detractor', after: 'detractor', themesBefore: ['price'], themesAfter: ['price'] })])).toEqual({});
  });

  it('cut by segment value, all time and on the day, with the value before the theme', () => {
    const deltas = themeDeltas([change({ after: 'promoter', segments: { plan: 'pro#x' }, themesAfter: ['staff'] })]);
    expect(deltas).toHaveProperty(['C#c1|THEMESEG#plan#pro#x#staff']);
    expect(deltas).toHaveProperty(['C#c1|THEMESEGDAY#plan#2026-11-23#pro#x#staff']);
    expect(themeBucketOf('THEMESEG#plan#pro#x#staff')).toEqual({ theme: 'staff', attribute: 'plan', value: 'pro#x' });
    expect(themeBucketOf('THEMESEGDAY#plan#2026-11-23#pro#x#staff')).toEqual({ theme: 'staff', attribute: 'plan', day: '2026-11-23', value: 'pro#x' });
  });

  it('keep one response within one transaction: no more themes than fit beside its score items', () => {
    const segments = { a: '1', b: '2', c: '3', d: '4', e: '5' };
    const themes = themesThatFit(['t1', 't2', 't3', 't4', 't5'], segments);
    expect(themes).toEqual(['t1', 't2', 't3']);
    expect(aggregateDeltas([change({ after: 'promoter', segments, themesAfter: themes })]).length).toBeLessThanOrEqual(MAX_AGGREGATE_ITEMS);
    expect(themesThatFit(['t1', 't2', 't3', 't4', 't5'], {})).toHaveLength(5);
  });
});
