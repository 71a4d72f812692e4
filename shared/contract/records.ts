/**
 * The records the API shows and the table stores as they are: a campaign, a follow-up case and
 * an entry of its timeline. Answers only, never requests, so they are plain shapes, in zod/mini:
 * the stream and queue consumers that read them stored (opening and escalating cases) then
 * bundle no zod classic. campaigns.ts and followups.ts answer with the same shapes as classic
 * objects (`z.object(CampaignRecord.shape)`), as every other route does.
 */
import * as z from 'zod/mini';
import { Channel, CloseReason, FollowupStatus, Locale } from '#shared/core/vocabulary';

/** A campaign as it was created, with its id; it is stored in this shape too (shared/table/items.ts). */
export const CampaignRecord = z.object({
  id: z.string(),
  name: z.string(),
  brand: z.string(),
  channel: Channel,
  locale: Locale,
  question: z.optional(z.string()),
  followUpQuestion: z.optional(z.string()),
  segments: z.array(z.string()),
  throttleDays: z.number(),
  sendAt: z.optional(z.string()),
  reminderAfterHours: z.optional(z.number()),
  sendWindow: z.optional(z.object({ start: z.string(), end: z.string() })),
  timezone: z.optional(z.string()),
  defaultCountry: z.optional(z.string()),
  brandColor: z.optional(z.string()),
  logoUrl: z.optional(z.string()),
  senderName: z.optional(z.string()),
  postalAddress: z.optional(z.string()),
  privacyUrl: z.optional(z.string()),
  createdAt: z.string(),
});
export type CampaignRecord = z.infer<typeof CampaignRecord>;

/** The person a case is about, as the case copied them (empty once erased). */
export const CaseContact = z.object({ name: z.optional(z.string()), email: z.optional(z.string()), phone: z.optional(z.string()) });

export const Note = z.object({ at: z.string(), text: z.string(), by: z.optional(z.string()) });
export type Note = z.infer<typeof Note>;

/** A theme the case's comment mentions, named in the case's language (the id itself once the theme is gone from the set). */
export const CaseTheme = z.object({ id: z.string(), name: z.string() });
export type CaseTheme = z.infer<typeof CaseTheme>;

/** A detractor's case as managers see it: its latest notes, and how many it has in all. */
export const FollowupCaseRecord = z.object({
  id: z.string(),
  campaignId: z.string(),
  /** The campaign's name, when the case was read with it. */
  campaignName: z.optional(z.string()),
  invitationId: z.string(),
  /** The channel the customer answered on: a reply goes out on it. */
  channel: z.optional(Channel),
  score: z.number(),
  comment: z.optional(z.string()),
  /** The themes of the comment, kept current as the customer edits it and as themes are re-tagged; absent on cases opened before themes. */
  themes: z.optional(z.array(CaseTheme)),
  /** The answer's segment values (attribute → value). */
  segments: z.optional(z.record(z.string(), z.string())),
  status: FollowupStatus,
  closeReason: z.optional(CloseReason),
  assignee: z.optional(z.string()),
  dueAt: z.string(),
  contact: CaseContact,
  notes: z.array(Note),
  noteCount: z.int(),
  createdAt: z.string(),
  /** The first thing a person did on the case (assign, note, status, reply). */
  firstActionAt: z.optional(z.string()),
  closedAt: z.optional(z.string()),
  /** When the case was alerted again for being overdue (once). */
  escalatedAt: z.optional(z.string()),
});
export type FollowupCaseRecord = z.infer<typeof FollowupCaseRecord>;

const Entry = z.object({
  at: z.string(),
  /** Who did it: a user's e-mail address, `api key`, or absent for the system. */
  by: z.optional(z.string()),
});

/** One entry of a case's timeline; each is its own item in the table, so a busy case never outgrows one. */
export const TimelineEntry = z.discriminatedUnion('type', [
  z.extend(Entry, { type: z.literal('opened'), score: z.int() }),
  z.extend(Entry, { type: z.literal('assignee'), assignee: z.nullable(z.string()) }),
  z.extend(Entry, { type: z.literal('note'), text: z.string() }),
  z.extend(Entry, { type: z.literal('status'), status: FollowupStatus, closeReason: z.optional(CloseReason) }),
  z.extend(Entry, {
    type: z.literal('reply'),
    channel: Channel,
    text: z.string(),
    /**
     * `held` when an SMS waits for the customer's quiet hours to end (then `heldUntil` says until
     * when); `failed` when the mail service or the phone network refused it for good: nothing arrived.
     */
    delivery: z.enum(['sent', 'held', 'failed']),
    heldUntil: z.optional(z.string()),
  }),
  /** The customer wrote again (a later comment). */
  z.extend(Entry, { type: z.literal('comment'), text: z.string() }),
  z.extend(Entry, { type: z.literal('escalated') }),
]);
export type TimelineEntry = z.infer<typeof TimelineEntry>;

