import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { npsOf, type Tally } from '#shared/core/nps';
import { pointsCost } from '#shared/core/theme-impact';

const tally = (promoters: number, passives: number, detractors: number): Tally => ({ promoters, passives, detractors });

describe('the points a theme costs', () => {
  it('is the NPS without the answers that mention it, minus the overall NPS', () => {
    // GIVEN 100 answers (NPS 10) of which 20 mention the theme, 18 of them detractors
    const all = tally(40, 30, 30);
    const mentioning = tally(1, 1, 18);
    // WHEN
    const cost = pointsCost(all, mentioning);
    // THEN without them: 39 promoters, 12 detractors of 80 → NPS 33.75; 33.75 − 10 = 23.75
    expect(cost?.delta).toBe(23.8);
    expect(cost?.significant).toBe(true);
    expect(cost!.ci95.low).toBeLessThan(23.75);
    expect(cost!.ci95.high).toBeGreaterThan(23.75);
  });

  it('is negative for a theme promoters talk about, and not significant on few answers', () => {
    const cost = pointsCost(tally(10, 5, 5), tally(2, 1, 0));
    expect(cost!.delta).toBeLessThan(0);
    expect(cost!.significant).toBe(false);
  });

  it('gives two mentions by two promoters an interval, not a point', () => {
    const cost = pointsCost(tally(10, 5, 5), tally(2, 0, 0));
    expect(cost!.ci95.high - cost!.ci95.low).toBeGreaterThan(10);
  });

  it('is null when nobody mentions the theme, or everybody does', () => {
    expect(pointsCost(tally(3, 2, 1), tally(0, 0, 0))).toBeNull();
    expect(pointsCost(tally(3, 2, 1), tally(3, 2, 1))).toBeNull();
  });

  it('always equals NPS(rest) − NPS(all), and its interval always holds it', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50), (p, q, d, tp, tq, td) => {
        const mentioning = tally(tp, tq, td);
        const all = tally(p + tp, q + tq, d + td);
        const cost = pointsCost(all, mentioning);
        if (tp + tq + td === 0 || p + q + d === 0) return cost === null;
        const expected = npsOf(tally(p, q, d))! - npsOf(all)!;
        return Math.abs(cost!.delta - expected) <= 0.05 && cost!.ci95.low <= cost!.delta + 0.05 && cost!.ci95.high >= cost!.delta - 0.05;
      }),
    );
  });
});
