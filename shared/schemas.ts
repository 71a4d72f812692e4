import { z } from 'zod';
import { SendWindow, TimeZone } from '#shared/quiet-hours';

/** Everything that arrives from outside is parsed here first; the types follow the schemas. */

export const locales = ['en', 'ru'] as const;
export const Locale = z.enum(locales);
export type Locale = z.infer<typeof Locale>;

export const Channel = z.enum(['email', 'sms']);
export type Channel = z.infer<typeof Channel>;

const text = (max: number) => z.string().trim().min(1).max(max);

/** Segment attribute names: short identifiers, so they are safe inside keys and URLs. */
const AttributeName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'segment names are letters, digits and _');

export const CampaignInput = z
  .object({
    name: text(200),
    brand: text(100),
    channel: Channel,
    locale: Locale.default('en'),
    question: text(300).optional(),
    followUpQuestion: text(300).optional(),
    segments: z.array(AttributeName).max(5).default([]),
    throttleDays: z.number().int().min(0).max(3650).default(90),
    /** Hold every invitation until this time (ISO 8601 with offset). */
    sendAt: z.iso.datetime({ offset: true }).optional(),
    /** One reminder this long after sending, to people who have not answered. */
    reminderAfterHours: z.number().int().min(1).max(720).optional(),
    /** SMS only go out inside this local window (default 09:00–20:00). */
    sendWindow: SendWindow.optional(),
    /** The zone for recipients whose own zone is unknown (IANA name; default UTC). */
    timezone: TimeZone.optional(),
    /** How to read phone numbers written without a + (ISO country, e.g. "GB"). */
    defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code').transform((c) => c.toUpperCase()).optional(),
  })
  .strict();
export type CampaignInput = z.infer<typeof CampaignInput>;

export const MAX_RECIPIENTS_PER_CALL = 1000;

const AttributeValue = z.union([z.string().max(100), z.number(), z.boolean()]);

/** A recipient as sent; the address itself is checked one by one so a bad row is skipped, not fatal. */
export const RecipientInput = z
  .object({
    email: z.string().max(320).optional(),
    phone: z.string().max(40).optional(),
    name: z.string().trim().max(200).optional(),
    externalId: z.string().max(200).optional(),
    locale: Locale.optional(),
    timezone: z.string().max(64).optional(),
    attributes: z.record(AttributeName, AttributeValue).optional(),
  })
  .strict();
export type RecipientInput = z.infer<typeof RecipientInput>;

export const RecipientsInput = z
  .object({ recipients: z.array(RecipientInput).min(1).max(MAX_RECIPIENTS_PER_CALL) })
  .strict();

export const EmailAddress = z.email();

export const SCORE_MAX = 10;
export const COMMENT_MAX = 2000;

/** An answer from the survey page (form fields arrive as strings) or a JSON client. */
export const AnswerInput = z.object({
  score: z.coerce.number().int().min(0).max(SCORE_MAX),
  comment: z.string().max(COMMENT_MAX).optional(),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

/** The preselected score in a survey link: out of range or junk just means "none preselected". */
export const LinkScore = z.coerce.number().int().min(0).max(SCORE_MAX).optional().catch(undefined);

/** A UTC calendar day, YYYY-MM-DD. Month 13, Apr 31 or Feb 29 of a common year are refused, not read as an empty range. */
export const IsoDay = z.iso.date({ message: 'use a real calendar day, YYYY-MM-DD' });

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

export const FollowupStatus = z.enum(['open', 'contacted', 'resolved']);
export type FollowupStatus = z.infer<typeof FollowupStatus>;

export const FollowupQuery = z
  .object({ status: FollowupStatus.optional(), campaignId: z.string().max(64).optional() })
  .strict();

export const PageQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().max(2000).optional() })
  .strict();
