import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addTallies, category, change, emptyTally, halfWidth95, move, npsOf, score, type Tally } from '#shared/core/nps';

describe('category', () => {
  it.each([
    [0, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ] as const)('scores %i as a %s', (s, expected) => {
    expect(category(s)).toBe(expected);
  });

  it('rejects scores outside 0–10 and fractions', () => {
    expect(() => category(11)).toThrow(RangeError);
    expect(() => category(-1)).toThrow(RangeError);
    expect(() => category(7.5)).toThrow(RangeError);
  });
});

describe('score', () => {
  it('is null, not zero, when nobody answered', () => {
    expect(score(emptyTally)).toEqual({ promoters: 0, passives: 0, detractors: 0, responses: 0, nps: null, ci95: null });
  });

  it('is −100 for a single detractor', () => {
    expect(score({ promoters: 0, passives: 0, detractors: 1 }).nps).toBe(-100);
  });

  it('is 0 for one of each, with an interval around 0', () => {
    // GIVEN p = d = 1/3, n = 3: Var = 2/3, half-width = 1.96·100·√(2/9) = 92.4
    const s = score({ promoters: 1, passives: 1, detractors: 1 });
    expect(s.nps).toBe(0);
    expect(s.ci95).toEqual({ low: -92.4, high: 92.4 });
  });

  it('rounds 2 promoters of 3 to 66.7', () => {
    expect(score({ promoters: 2, passives: 1, detractors: 0 }).nps).toBe(66.7);
  });

  it('uses Var = p + d − (p − d)² for the interval', () => {
    const t = { promoters: 50, passives: 30, detractors: 20 };
    const p = 0.5;
    const d = 0.2;
    expect(halfWidth95(t)).toBeCloseTo(1.96 * 100 * Math.sqrt((p + d - (p - d) ** 2) / 100), 10);
  });
});

describe('move', () => {
  it('moves an edited response from its old category to its new one', () => {
    expect(move('detractor', 'promoter')).toEqual({ promoters: 1, passives: 0, detractors: -1 });
  });

  it('changes nothing when the category stays', () => {
    expect(move('passive', 'passive')).toEqual(emptyTally);
  });
});

const tally = fc.record({
  promoters: fc.nat(10_000),
  passives: fc.nat(10_000),
  detractors: fc.nat(10_000),
}) as fc.Arbitrary<Tally>;

describe('NPS properties', () => {
  it('stays within [−100, 100], interval included', () => {
    fc.assert(
      fc.property(tally, (t) => {
        const s = score(t);
        if (s.nps === null) return s.responses === 0;
        return s.nps >= -100 && s.nps <= 100 && s.ci95 !== null && s.ci95.low >= -100 && s.ci95.high <= 100;
      }),
    );
  });

  it('does not depend on the order answers arrive in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 })), (scores) => {
        const total = (list: number[]) => list.map((s) => move(undefined, category(s))).reduce(addTallies, emptyTally);
        expect(total(scores)).toEqual(total([...scores].reverse()));
      }),
    );
  });

  it('treats an edit as a removal plus an addition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), (from, to) => {
        const edit = move(category(from), category(to));
        const removeThenAdd = addTallies(move(category(from), undefined), move(undefined, category(to)));
        expect(edit).toEqual(removeThenAdd);
      }),
    );
  });

  it('narrows the interval as n grows for the same mix', () => {
    fc.assert(
      fc.property(tally, fc.integer({ min: 2, max: 10 }), (t, k) => {
        const n = t.promoters + t.passives + t.detractors;
        fc.pre(n > 0 && npsOf(t) !== null);
        const bigger = { promoters: t.promoters * k, passives: t.passives * k, detractors: t.detractors * k };
        return (halfWidth95(bigger) ?? 0) <= (halfWidth95(t) ?? 0);
      }),
    );
  });
});

describe('change between two periods', () => {
  it('is significant when the interval excludes zero', () => {
    // GIVEN 100 answers at NPS −20, then 100 at NPS +40
    const before = { promoters: 20, passives: 40, detractors: 40 };
    const after = { promoters: 50, passives: 40, detractors: 10 };
    const c = change(before, after);
    expect(c?.delta).toBe(60);
    expect(c?.significant).toBe(true);
    expect(c?.ci95.low).toBeGreaterThan(0);
  });

  it('is noise when a handful of answers move the score', () => {
    const c = change({ promoters: 1, passives: 1, detractors: 1 }, { promoters: 2, passives: 1, detractors: 0 });
    expect(c?.delta).toBe(66.7);
    expect(c?.significant).toBe(false);
  });

  it('adds the variances of both periods', () => {
    const a = { promoters: 30, passives: 30, detractors: 40 };
    const b = { promoters: 45, passives: 30, detractors: 25 };
    const c = change(a, b);
    const expected = Math.sqrt((halfWidth95(a) ?? 0) ** 2 + (halfWidth95(b) ?? 0) ** 2);
    expect(((c?.ci95.high ?? 0) - (c?.ci95.low ?? 0)) / 2).toBeCloseTo(expected, 0);
  });

  it('is null when a period has no answers', () => {
    expect(change(emptyTally, { promoters: 1, passives: 0, detractors: 0 })).toBeNull();
  });

  it('is antisymmetric and its interval narrows with more answers', () => {
    fc.assert(
      fc.property(tally, tally, fc.integer({ min: 2, max: 5 }), (a, b, k) => {
        const forward = change(a, b);
        fc.pre(forward !== null);
        expect(change(b, a)?.delta).toBeCloseTo(-(forward?.delta ?? 0), 1);
        const scale = (t: Tally) => ({ promoters: t.promoters * k, passives: t.passives * k, detractors: t.detractors * k });
        const bigger = change(scale(a), scale(b));
        const width = (x: ReturnType<typeof change>) => (x ? x.ci95.high - x.ci95.low : 0);
        expect(width(bigger)).toBeLessThanOrEqual(width(forward) + 0.2);
      }),
    );
  });
});
