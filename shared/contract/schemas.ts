import { z } from 'zod';
import { BrandColor, HttpsUrl, PostalAddress } from '#shared/core/branding';
import { hasControlCharacters } from '#shared/core/control-characters';
import { SendWindow, TimeZone } from '#shared/core/quiet-hours';
import { Channel, COMMENT_MAX, FollowupStatus, Locale, SCORE_MAX } from '#shared/core/vocabulary';

/** Everything that arrives from outside is parsed here first; the types follow the schemas. */

// The product's words live in core; the contract speaks them too.
export { Channel, COMMENT_MAX, EmailAddress, FollowupStatus, Locale, locales, SCORE_MAX } from '#shared/core/vocabulary';

const NO_CONTROL_CHARACTERS = 'must not contain line breaks or control characters';

/** Text on one line (it can end up in an e-mail or alert subject): no line breaks, no control characters. */
export const oneLine = (max: number) => z.string().trim().max(max).refine((s) => !hasControlCharacters(s), NO_CONTROL_CHARACTERS);

/** Required text on one line. */
export const text = (max: number) => oneLine(max).pipe(z.string().min(1));

/**
 * Names every plain object inherits (`constructor`, `toString`, `__proto__`, ...). A segment or
 * attribute with one of these names would be read from the prototype instead of the data.
 */
const RESERVED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
const reservedMessage = (name: string) => `"${name}" is reserved (every JavaScript object has it); choose another name`;

/** Segment attribute names: short identifiers, so they are safe inside keys and URLs, and never a reserved name. */
export const AttributeName = z
  .string()
  .superRefine((name, ctx) => {
    if (RESERVED_NAMES.has(name)) ctx.addIssue({ code: 'custom', message: reservedMessage(name) });
  })
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'segment names are letters, digits and _');

/** How far in the past a sendAt may be (clock skew, a slow request) and still mean "now". */
const SEND_AT_GRACE_MS = 5 * 60_000;

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
    sendAt: z.iso
      .datetime({ offset: true })
      .refine((at) => Date.parse(at) >= Date.now() - SEND_AT_GRACE_MS, {
        message: 'is in the past; give a future time, or leave sendAt out to send now',
      })
      .optional(),
    /** One reminder this long after sending, to people who have not answered. */
    reminderAfterHours: z.number().int().min(1).max(720).optional(),
    /** SMS only go out inside this local window (default 09:00–20:00). */
    sendWindow: SendWindow.optional(),
    /** The zone for recipients whose own zone is unknown (IANA name); without it, never UTC: see recipientZones. */
    timezone: TimeZone.optional(),
    /** How to read phone numbers written without a + (ISO country, e.g. "GB"). */
    defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code').transform((c) => c.toUpperCase()).optional(),
    /** The brand's colour (#rgb or #rrggbb): an accent in the e-mail and pages; text on it is chosen to meet contrast. */
    brandColor: BrandColor.optional(),
    /** A logo at the top of the e-mail and pages (https only), shown 40 px high with the brand as its alt text. */
    logoUrl: HttpsUrl.optional(),
    /** The From name of the e-mail and the sender the footer names (default: the brand). */
    senderName: text(100).optional(),
    /** The sender's postal address in every e-mail footer, up to 3 lines. */
    postalAddress: PostalAddress.optional(),
    /** A privacy policy linked from the e-mail and pages (https only). */
    privacyUrl: HttpsUrl.optional(),
  })
  .strict();
export type CampaignInput = z.infer<typeof CampaignInput>;

export const MAX_RECIPIENTS_PER_CALL = 1000;

const AttributeValue = z.union([oneLine(100), z.number(), z.boolean()]);

/**
 * A recipient's attributes by name. The names are checked on the object as sent, because a
 * `__proto__` key would otherwise vanish silently while it is copied.
 */
const Attributes = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value !== 'object' || value === null) return;
    for (const name of Object.keys(value)) {
      if (RESERVED_NAMES.has(name)) ctx.addIssue({ code: 'custom', message: reservedMessage(name), path: [name] });
    }
  })
  .pipe(z.record(AttributeName, AttributeValue));

/** A recipient as sent; the address itself is checked one by one so a bad row is skipped, not fatal. */
export const RecipientInput = z
  .object({
    email: z.string().max(320).optional(),
    phone: z.string().max(40).optional(),
    name: oneLine(200).optional(),
    externalId: oneLine(200).optional(),
    locale: Locale.optional(),
    timezone: z.string().max(64).optional(),
    attributes: Attributes.optional(),
  })
  .strict();
export type RecipientInput = z.infer<typeof RecipientInput>;

export const RecipientsInput = z
  .object({ recipients: z.array(RecipientInput).min(1).max(MAX_RECIPIENTS_PER_CALL) })
  .strict();


/** A score as a form field or a link writes it: exactly "0" to "10", no blanks, signs, zeros in front, hex or exponents. */
const SCORE_TEXT = /^(?:10|[0-9])$/;

/**
 * A score is a JSON number or the exact decimal text of a form field. Nothing else is read as
 * a number: a blank field must never become a 0, which would be a detractor.
 */
const Score = z
  .union([z.number(), z.string().regex(SCORE_TEXT).transform(Number)], { error: `a whole number from 0 to ${SCORE_MAX}` })
  .pipe(z.number().int().min(0).max(SCORE_MAX));

/** An answer from the survey page (form fields arrive as strings) or a JSON client. */
export const AnswerInput = z.object({
  score: Score,
  comment: z.string().max(COMMENT_MAX).optional(),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

/** The preselected score in a survey link: out of range or junk just means "none preselected". */
export const LinkScore = z.string().regex(SCORE_TEXT).transform(Number).optional().catch(undefined);

/** A whole number in a query string, written plainly: no blanks, signs, zeros in front, hex or exponents. */
const queryInteger = z.string().regex(/^(?:0|[1-9][0-9]{0,8})$/, 'a whole number').transform(Number);

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

export const FollowupQuery = z
  .object({ status: FollowupStatus.optional(), campaignId: z.string().max(64).optional() })
  .strict();

export const PageQuery = z
  .object({ limit: queryInteger.pipe(z.number().int().min(1).max(100)).default(50), cursor: z.string().max(2000).optional() })
  .strict();
