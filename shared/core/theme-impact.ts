/**
 * What a theme costs the score, pure. Split the answers into those that mention the theme (T,
 * n_t of them) and the rest (R, n_r); overall NPS is their weighted mean, so
 *
 *   points it costs = NPS(R) − NPS(all) = (n_t / n) · (NPS(R) − NPS(T)).
 *
 * Positive: without those answers the score would be that many points higher. T and R are
 * disjoint samples, so their variances add; with the share n_t / n taken as given,
 *
 *   half-width = 1.96 · 100 · (n_t / n) · √(Var_T / n_t + Var_R / n_r),  Var = p + d − (p − d)²,
 *
 * the same per-answer variance as the score's own interval (shared/core/nps.ts), except that p and
 * d of each group are read as if it had one more answer of each kind (Agresti and Caffo's
 * adjustment): two mentions by two promoters would otherwise have a variance of 0 and an
 * interval of no width. Significant when the interval leaves out 0.
 */
import type * as z from 'zod/mini';
import { Change, npsOf, type Tally } from '#shared/core/nps';

export const PointsCost = Change;
export type PointsCost = z.infer<typeof PointsCost>;

const total = (t: Tally) => t.promoters + t.passives + t.detractors;
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Half-width of a group's 95% interval, with one pseudo-answer added to each category for p and d. */
const adjustedHalfWidth95 = (t: Tally): number => {
  const n = total(t);
  const p = (t.promoters + 1) / (n + 3);
  const d = (t.detractors + 1) / (n + 3);
  return 1.96 * 100 * Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n);
};

const without = (all: Tally, part: Tally): Tally => ({
  promoters: all.promoters - part.promoters,
  passives: all.passives - part.passives,
  detractors: all.detractors - part.detractors,
});

/**
 * The points a theme costs, from all answers and those that mention it (a subset of them); null
 * when no answer mentions it or every answer does (there is no score without it to compare).
 */
export const pointsCost = (all: Tally, mentioning: Tally): PointsCost | null => {
  const rest = without(all, mentioning);
  const n = total(all);
  const nt = total(mentioning);
  const nr = total(rest);
  if (nt === 0 || nr <= 0 || n === 0) return null;
  const npsAll = npsOf(all);
  const npsRest = npsOf(rest);
  if (npsAll === null || npsRest === null) return null;
  const hwT = adjustedHalfWidth95(mentioning);
  const hwR = adjustedHalfWidth95(rest);
  const share = nt / n;
  const delta = npsRest - npsAll;
  // Each 95% half-width is 1.96·100·√(Var/n), so √(hwT² + hwR²) is 1.96·100·√(Var_T/n_t + Var_R/n_r).
  const half = share * Math.sqrt(hwT ** 2 + hwR ** 2);
  const low = delta - half;
  const high = delta + half;
  return { delta: round1(delta), ci95: { low: round1(low), high: round1(high) }, significant: low > 0 || high < 0 };
};
