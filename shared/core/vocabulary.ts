/**
 * The product's words that every layer shares: the locales, the channels, a follow-up's statuses,
 * the score's range and the comment's length. The API's schemas (shared/contract/schemas.ts) and
 * the table's items build on these, so pure rules and rendering never import the contract.
 */
import { z } from 'zod';

export const locales = ['en', 'ru'] as const;
export const Locale = z.enum(locales);
export type Locale = z.infer<typeof Locale>;

export const Channel = z.enum(['email', 'sms']);
export type Channel = z.infer<typeof Channel>;

export const EmailAddress = z.email();

export const SCORE_MAX = 10;
export const COMMENT_MAX = 2000;

export const FollowupStatus = z.enum(['open', 'contacted', 'resolved']);
export type FollowupStatus = z.infer<typeof FollowupStatus>;
