/**
 * Scores: `GET /v1/score` and `GET /v1/campaigns/{id}/score` take a ScoreQuery and answer a
 * ScoreReport. The figures of one score (nps, ci95, promoters...) are the NPS math's own shape.
 */
import * as z from 'zod';
import { Change, Score } from '#shared/core/nps';
import { AttributeName, IsoDay } from '#shared/contract/fields';

export { Change, Interval, Score } from '#shared/core/nps';

export const ScoreQuery = z
  .object({
    from: IsoDay.optional(),
    to: IsoDay.optional(),
    segment: AttributeName.optional(),
    by: z.enum(['day', 'week']).default('day'),
    /** Compare [from, to] with the period of the same length just before it. */
    compare: z.literal('previous').optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => !q.compare || (q.from && q.to), { message: 'compare needs both from and to', path: ['compare'] });
export type ScoreQuery = z.infer<typeof ScoreQuery>;

/**
 * A score read: the total (of the range, when one is given), the trend by UTC day (and by ISO
 * week with `by=week`), each segment attribute's values, and with `compare=previous` the period
 * before and the change against it.
 */
export const ScoreReport = z.object({
  ...Score.shape,
  /** On a campaign's score only. */
  campaignId: z.string().optional(),
  /** The range asked for, when one was. */
  from: z.string().optional(),
  to: z.string().optional(),
  days: z.array(z.object({ ...Score.shape, day: z.string() })),
  weeks: z.array(z.object({ ...Score.shape, week: z.string() })).optional(),
  /** Attribute → value → score. */
  segments: z.record(z.string(), z.record(z.string(), Score)),
  previous: z.object({ ...Score.shape, from: z.string(), to: z.string() }).optional(),
  /** Null when either period has no answers. */
  change: z.nullable(Change).optional(),
});
export type ScoreReport = z.infer<typeof ScoreReport>;
