import { describe, expect, it } from 'vitest';
import { aggregateDeltas, bucketsOf, sequenceKey, slotOf, weekOf, type ResponseChange } from '#shared/aggregates';
import { AGGREGATE_SLOTS } from '#shared/items';

const change = (overrides: Partial<ResponseChange>): ResponseChange => ({
  sequenceNumber: '1',
  campaignId: 'c1',
  day: '2026-11-23',
  segments: {},
  ...overrides,
});

describe('aggregateDeltas', () => {
  it('counts a new response in the overall and campaign totals and days', () => {
    const deltas = aggregateDeltas([change({ after: 'detractor' })]);
    expect(deltas.map((d) => `${d.scope}|${d.bucket}`).sort()).toEqual([
      'ALL|DAY#2026-11-23',
      'ALL|TOTAL',
      'C#c1|DAY#2026-11-23',
      'C#c1|TOTAL',
    ]);
    expect(deltas.every((d) => d.delta.detractors === 1)).toBe(true);
  });

  it('nets a batch per aggregate item: one write per item, not per response', () => {
    const deltas = aggregateDeltas([
      change({ sequenceNumber: '1', after: 'promoter' }),
      change({ sequenceNumber: '2', after: 'promoter' }),
      change({ sequenceNumber: '3', before: 'promoter', after: 'detractor' }),
    ]);
    expect(deltas).toHaveLength(4);
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
    expect(bucketsOf(change({ segments: { plan: 'pro', region: 'eu' } }))).toHaveLength(8);
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
