/**
 * Responses. Customers answer with `POST /s/{token}` (an AnswerInput, as a form or JSON; with
 * `Accept: application/json` the answer is AnswerRecorded) and opt out with `POST /u/{token}`
 * (Unsubscribed). Marketing lists them with `GET /v1/responses` (ResponsesQuery → ResponsePage;
 * `format=csv` answers CSV instead).
 */
import * as z from 'zod';
import { Category } from '#shared/core/nps';
import { ThemeId } from '#shared/core/theme-set';
import { COMMENT_MAX, page, PageQuery, SCORE_MAX } from '#shared/contract/fields';

/** A score as a form field or a link writes it: exactly "0" to "10", no blanks, signs, zeros in front, hex or exponents. */
const SCORE_TEXT = /^(?:10|[0-9])$/;

/**
 * A score is a JSON number or the exact decimal text of a form field. Nothing else is read as
 * a number: a blank field must never become a 0, which would be a detractor.
 */
const ScoreValue = z
  .union([z.number(), z.string().regex(SCORE_TEXT).transform(Number)], { error: `a whole number from 0 to ${SCORE_MAX}` })
  .pipe(z.number().int().min(0).max(SCORE_MAX));

/** An answer from the survey page (form fields arrive as strings) or a JSON client. */
export const AnswerInput = z.object({
  score: ScoreValue,
  comment: z.string().max(COMMENT_MAX).optional(),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

/** The preselected score in a survey link: out of range or junk just means "none preselected". */
export const LinkScore = z.string().regex(SCORE_TEXT).transform(Number).optional().catch(undefined);

/** An answer taken; `version` counts the answers to this invitation (an edit replaces the one before). */
export const AnswerRecorded = z.object({ recorded: z.literal(true), score: z.number().int(), version: z.number().int() });
export type AnswerRecorded = z.infer<typeof AnswerRecorded>;

export const Unsubscribed = z.object({ unsubscribed: z.literal(true) });
export type Unsubscribed = z.infer<typeof Unsubscribed>;

export const ResponsesQuery = PageQuery.extend({
  campaignId: z.string().min(1).max(64),
  format: z.enum(['json', 'csv']).default('json'),
  /** Only responses whose comment mentions this theme (JSON pages only). */
  theme: ThemeId.optional(),
}).refine((q) => !q.theme || q.format === 'json', { message: 'the theme filter works with format=json', path: ['theme'] });

/**
 * A response with the contact it came from (what erasure has left of it). Without `contact` for a
 * caller who may not see customers' contact details (marketing).
 */
export const ResponseRow = z.object({
  invitationId: z.string(),
  campaignId: z.string(),
  score: z.number().int(),
  category: Category,
  comment: z.string().optional(),
  /** The themes the comment mentions (shared/contract/themes.ts). */
  themes: z.array(z.string()),
  segments: z.record(z.string(), z.string()),
  firstAnsweredAt: z.string(),
  answeredAt: z.string(),
  contact: z.object({ email: z.string().optional(), name: z.string().optional(), phone: z.string().optional(), externalId: z.string().optional() }).optional(),
});
export type ResponseRow = z.infer<typeof ResponseRow>;

export const ResponsePage = page(ResponseRow);
export type ResponsePage = z.infer<typeof ResponsePage>;
