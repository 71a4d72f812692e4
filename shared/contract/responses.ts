/**
 * Responses. Customers answer with `POST /s/{token}` (an AnswerInput, as a form or JSON; with
 * `Accept: application/json` the answer is AnswerRecorded) and opt out with `POST /u/{token}`
 * (Unsubscribed). Marketing lists them with `GET /v1/responses` (ResponsesQuery → ResponsePage;
 * `format=csv` answers CSV instead).
 */
import * as z from 'zod';
import { Category } from '#shared/core/nps';
import { ThemeId } from '#shared/core/theme-set';
import { COMMENT_MAX, IsoDay, oneLine, page, PageQuery, queryInteger, SCORE_MAX } from '#shared/contract/fields';
import { SegmentValue } from '#shared/contract/themes';

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

/** Words to find in comments: what a person types in a search box, on one line. */
const SearchText = oneLine(200).pipe(z.string().min(2, 'search for at least 2 letters'));

/**
 * The response feed, newest first: every campaign's, or one's (`campaignId`). Filters narrow it:
 * the day of first answer (`from`/`to`, or the last `days` days), the category, a segment value
 * (`segment=plan:pro`), a theme and words in the comment (`q`, any letter case, ё as е). With
 * `format=csv` the same view is exported as CSV.
 */
export const ResponsesQuery = PageQuery.extend({
  campaignId: z.string().min(1).max(64).optional(),
  format: z.enum(['json', 'csv']).default('json'),
  from: IsoDay.optional(),
  to: IsoDay.optional(),
  days: queryInteger.pipe(z.number().int().min(1, 'days counts back from today: 1 or more').max(3660)).optional(),
  category: z.optional(Category),
  segment: oneLine(300).pipe(SegmentValue).optional(),
  /** Only responses whose comment mentions this theme. */
  theme: z.optional(ThemeId),
  q: SearchText.optional(),
})
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => q.days === undefined || (!q.from && !q.to), { message: 'give either days or from/to, not both', path: ['days'] });
export type ResponsesQuery = z.infer<typeof ResponsesQuery>;

/**
 * A response with the contact it came from (what erasure has left of it). Without `contact` for a
 * caller who may not see customers' contact details (marketing).
 */
export const ResponseRow = z.object({
  invitationId: z.string(),
  campaignId: z.string(),
  campaignName: z.string().optional(),
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
