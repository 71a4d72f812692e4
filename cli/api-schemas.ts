/**
 * The API's answers as the CLI relies on them, as functions/admin-api.ts shapes them. Objects
 * are loose: fields the CLI does not know yet are kept, so `--json` prints everything the
 * server said.
 */
import { z } from 'zod';

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const Campaign = z.looseObject({
  id: z.string(),
  name: z.string(),
  brand: z.string(),
  channel: z.string(),
  locale: z.string(),
  question: z.string().optional(),
  followUpQuestion: z.string().optional(),
  segments: z.array(z.string()).default([]),
  throttleDays: z.number().optional(),
  sendAt: z.string().optional(),
  reminderAfterHours: z.number().optional(),
  brandColor: z.string().optional(),
  logoUrl: z.string().optional(),
  senderName: z.string().optional(),
  postalAddress: z.string().optional(),
  privacyUrl: z.string().optional(),
  createdAt: z.string(),
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignCounts = z.looseObject({
  recipients: z.number(),
  queued: z.number(),
  sent: z.number(),
  failed: z.number(),
  skipped: z.record(z.string(), z.number()),
  clicked: z.number(),
  responded: z.number(),
  /** responded / clicked; null before the first click. Optional: older servers do not send it. */
  clickToAnswerRate: z.number().nullish(),
});
export type CampaignCounts = z.infer<typeof CampaignCounts>;

export const CampaignWithCounts = Campaign.extend({ counts: CampaignCounts });
export type CampaignWithCounts = z.infer<typeof CampaignWithCounts>;

export const CampaignPage = z.looseObject({
  items: z.array(Campaign),
  nextCursor: z.string().nullish(),
});
export type CampaignPage = z.infer<typeof CampaignPage>;

export const AddRecipientsResult = z.looseObject({
  accepted: z.number().int().nonnegative(),
  skipped: z.array(z.object({ index: z.number().int(), reason: z.string() })),
});
export type AddRecipientsResult = z.infer<typeof AddRecipientsResult>;

const Interval = z.object({ low: z.number(), high: z.number() });

export const ScoreFigures = z.looseObject({
  nps: z.number().nullable(),
  responses: z.number(),
  promoters: z.number(),
  passives: z.number(),
  detractors: z.number(),
  ci95: Interval.nullable(),
});
export type ScoreFigures = z.infer<typeof ScoreFigures>;

export const Score = ScoreFigures.extend({
  campaignId: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  days: z.array(ScoreFigures.extend({ day: z.string() })).default([]),
  weeks: z.array(ScoreFigures.extend({ week: z.string() })).optional(),
  segments: z.record(z.string(), z.record(z.string(), ScoreFigures)).default({}),
  previous: ScoreFigures.extend({ from: z.string(), to: z.string() }).optional(),
  change: z.object({ delta: z.number(), ci95: Interval, significant: z.boolean() }).nullish(),
});
export type Score = z.infer<typeof Score>;
