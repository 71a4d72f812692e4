/**
 * The product's words that every layer shares: the locales, the channels, a follow-up's statuses,
 * why a recipient is skipped, the score's range and the comment's length. The API's schemas (shared/contract/) and
 * the table's items build on these, so pure rules and rendering never import the contract.
 */
import * as z from 'zod/mini';

export const locales = ['en', 'ru'] as const;
export const Locale = z.enum(locales);
export type Locale = z.infer<typeof Locale>;

export const Channel = z.enum(['email', 'sms']);
export type Channel = z.infer<typeof Channel>;

export const EmailAddress = z.email();

export const SCORE_MAX = 10;
export const COMMENT_MAX = 2000;

/** A case is open until someone acts, contacted once the customer was reached, closed with a reason. */
export const FollowupStatus = z.enum(['open', 'contacted', 'closed']);
export type FollowupStatus = z.infer<typeof FollowupStatus>;

/** Version 0.1 called a closed case `resolved`: API clients may still send it, and old items still hold it. */
export const LEGACY_RESOLVED = 'resolved';

/** Why a case was closed. */
export const closeReasons = ['resolved', 'no_response', 'not_actionable', 'duplicate', 'other'] as const;
export const CloseReason = z.enum(closeReasons);
export type CloseReason = z.infer<typeof CloseReason>;

/**
 * Who may do what. A manager works cases and reads scores; marketing runs campaigns and reads
 * scores but never sees a customer's contact details; an admin may do everything, and is the
 * only one who erases contacts or sets the assignment rules. The API key acts as an admin.
 */
export const roles = ['admin', 'marketing', 'manager'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const skipReasons = [
  'invalid_email',
  'invalid_phone',
  'duplicate',
  'opted_out',
  'suppressed',
  'throttled',
  /** No moment is inside the SMS window in every zone the recipient may be in (give their timezone). */
  'no_send_window',
] as const;
export const SkipReason = z.enum(skipReasons);
export type SkipReason = z.infer<typeof SkipReason>;

/** A recipient left out of a campaign: its place in the list as sent, and the first reason that applied. */
export const Skip = z.object({ index: z.int().check(z.nonnegative()), reason: SkipReason });
export type Skip = z.infer<typeof Skip>;
