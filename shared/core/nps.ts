/**
 * The NPS math, pure. Categories: 9–10 promoter, 7–8 passive, 0–6 detractor.
 * NPS = 100·(P − D)/N. The 95% interval treats each answer as +1 / 0 / −1, whose variance is
 * Var = p + d − (p − d)², so NPS ± 1.96·100·√(Var/n).
 * The shapes of a score are schemas, because the API shows them as they are (shared/contract/scores.ts).
 */
import * as z from 'zod/mini';

export const Category = z.enum(['promoter', 'passive', 'detractor']);
export type Category = z.infer<typeof Category>;

export const category = (score: number): Category => {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`score out of range: ${score}`);
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
};

export const Tally = z.object({ promoters: z.number(), passives: z.number(), detractors: z.number() });
export type Tally = z.infer<typeof Tally>;

export const emptyTally: Tally = { promoters: 0, passives: 0, detractors: 0 };

const field = { promoter: 'promoters', passive: 'passives', detractor: 'detractors' } as const satisfies Record<
  Category,
  keyof Tally
>;

export const countOf = (c: Category): keyof Tally => field[c];

export const addTallies = (a: Tally, b: Tally): Tally => ({
  promoters: a.promoters + b.promoters,
  passives: a.passives + b.passives,
  detractors: a.detractors + b.detractors,
});

/** The change one response makes to a tally when it moves from `before` to `after` (either may be absent). */
export const move = (before: Category | undefined, after: Category | undefined): Tally => {
  const delta = { promoters: 0, passives: 0, detractors: 0 };
  if (before === after) return delta;
  if (before) delta[countOf(before)] -= 1;
  if (after) delta[countOf(after)] += 1;
  return delta;
};

export const isZero = (t: Tally): boolean => t.promoters === 0 && t.passives === 0 && t.detractors === 0;

export const Interval = z.object({ low: z.number(), high: z.number() });
export type Interval = z.infer<typeof Interval>;

/** A score's figures, as the API shows them for a total, a day, a week or a segment value. */
export const Score = z.extend(Tally, {
  responses: z.number(),
  /** null when nobody has answered: an NPS of 0 would be a lie. */
  nps: z.nullable(z.number()),
  ci95: z.nullable(Interval),
});
export type Score = z.infer<typeof Score>;

const Z95 = 1.96;
const round1 = (x: number): number => Math.round(x * 10) / 10;
const clamp = (x: number): number => Math.min(100, Math.max(-100, x));

/** Exact NPS (unrounded) of a tally, or null when it is empty. */
export const npsOf = (t: Tally): number | null => {
  const n = t.promoters + t.passives + t.detractors;
  return n === 0 ? null : (100 * (t.promoters - t.detractors)) / n;
};

/** Half-width of the 95% interval, in NPS points. */
export const halfWidth95 = (t: Tally): number | null => {
  const n = t.promoters + t.passives + t.detractors;
  if (n === 0) return null;
  const p = t.promoters / n;
  const d = t.detractors / n;
  const variance = p + d - (p - d) ** 2;
  return Z95 * 100 * Math.sqrt(Math.max(0, variance) / n);
};

/** The score as the API shows it: NPS and interval rounded to one decimal, interval clamped to the scale. */
export const score = (t: Tally): Score => {
  const responses = t.promoters + t.passives + t.detractors;
  const nps = npsOf(t);
  const hw = halfWidth95(t);
  return {
    promoters: t.promoters,
    passives: t.passives,
    detractors: t.detractors,
    responses,
    nps: nps === null ? null : round1(nps),
    ci95: nps === null || hw === null ? null : { low: round1(clamp(nps - hw)), high: round1(clamp(nps + hw)) },
  };
};

export const Change = z.object({
  /** NPS of the later period minus NPS of the earlier one, in points. */
  delta: z.number(),
  ci95: Interval,
  /** True when the interval excludes 0: the change is unlikely to be noise. */
  significant: z.boolean(),
});
export type Change = z.infer<typeof Change>;

/**
 * The change in NPS between two independent periods, with its 95% interval: the variances of
 * the two estimates add, so the half-width is 1.96·100·√(Var₁/n₁ + Var₂/n₂). Null when either
 * period has no answers.
 */
export const change = (earlier: Tally, later: Tally): Change | null => {
  const a = npsOf(earlier);
  const b = npsOf(later);
  const ha = halfWidth95(earlier);
  const hb = halfWidth95(later);
  if (a === null || b === null || ha === null || hb === null) return null;
  const delta = b - a;
  const half = Math.sqrt(ha ** 2 + hb ** 2);
  const low = delta - half;
  const high = delta + half;
  return { delta: round1(delta), ci95: { low: round1(low), high: round1(high) }, significant: low > 0 || high < 0 };
};
