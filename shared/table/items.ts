import * as z from 'zod/mini';
import { Contact } from '#shared/core/contacts';
import { Channel } from '#shared/core/vocabulary';
import type { AggregateScope } from '#shared/core/aggregates';
import { foldForSearch, monthOf } from '#shared/core/feed';

/**
 * The single table: every key and item shape lives here. Generic PK/SK/GSI1PK/GSI1SK names;
 * small functions build the keys so no other module spells a key by hand.
 *
 * The schemas are zod/mini, so the stream and queue consumers that read only these items bundle
 * no zod classic; the items stored as the API shows them are in api-items.ts, re-exported below.
 */
export const keys = {
  campaign: (id: string) => ({ PK: `CAMPAIGN#${id}`, SK: 'CAMPAIGN' }),
  /**
   * A campaign's counters, kept in COUNT_SHARDS items that concurrent writers spread over (no
   * transaction conflicts on one hot item); a read sums them.
   */
  campaignCounts: (id: string, shard: number = randomCountShard()) => ({ PK: `CAMPAIGN#${id}`, SK: `COUNTS#${shard}` }),
  /** Guards one invitation per address per campaign. */
  campaignRecipient: (id: string, address: string) => ({ PK: `CAMPAIGN#${id}`, SK: `RCPT#${address}` }),
  invitation: (id: string) => ({ PK: `INV#${id}`, SK: 'INV' }),
  response: (invitationId: string) => ({ PK: `INV#${invitationId}`, SK: 'RESPONSE' }),
  /** Guards one follow-up case per invitation; holds the case id. */
  followupGuard: (invitationId: string) => ({ PK: `INV#${invitationId}`, SK: 'FOLLOWUP' }),
  followup: (id: string) => ({ PK: `FOLLOWUP#${id}`, SK: 'FOLLOWUP' }),
  /**
   * One entry of a case's timeline (a note, a status or assignee change), beside the case in its
   * partition, in time order by ULID: a case item stays small however long the case is worked.
   */
  followupEvent: (caseId: string, eventId: string) => ({ PK: `FOLLOWUP#${caseId}`, SK: `${FOLLOWUP_EVENT_PREFIX}${eventId}` }),
  /** One reply per Idempotency-Key (hashed) on a case: holds the id of the reply's timeline entry. */
  replyGuard: (caseId: string, keyHash: string) => ({ PK: `FOLLOWUP#${caseId}`, SK: `REPLY#${keyHash}` }),
  /** The one item holding the assignment rules for new cases. */
  assignmentRules: () => ({ PK: 'SETTINGS', SK: 'ASSIGNMENT_RULES' }),
  optOut: (contactKey: string) => ({ PK: `OPTOUT#${contactKey}`, SK: 'OPTOUT' }),
  /** A hard bounce or complaint: never e-mail this address again. */
  suppression: (contactKey: string) => ({ PK: `SUPPRESS#${contactKey}`, SK: 'SUPPRESS' }),
  /**
   * When the contact was last surveyed, on any channel (the throttle), and whether they opted out
   * (`optedOutAt`) or their address was suppressed (`suppressedAt`), stamped beside the
   * `OPTOUT#`/`SUPPRESS#` items so an import reads one item for all three.
   */
  contact: (contactKey: string) => ({ PK: `CONTACT#${contactKey}`, SK: 'CONTACT' }),
  /** A group of invitations held until `minute` (UTC, `YYYY-MM-DDTHH:MM`), spread over DUE_SHARDS partitions. */
  due: (minute: string, shard: number, groupId: string) => ({ PK: `DUE#${minute}#${shard}`, SK: groupId }),
  dueCursor: () => ({ PK: 'DUE#CURSOR', SK: 'CURSOR' }),
  /** Invitations committed but not yet confirmed handed to the queue, by commit time (see shared/app/outbox.ts). */
  outbox: (createdAt: string, groupId: string) => ({ PK: 'OUTBOX', SK: `${createdAt}#${groupId}` }),
  /** The SMS conversation of a phone: its latest open invitation and where the survey stands. */
  conversation: (contactKey: string) => ({ PK: `PHONE#${contactKey}`, SK: 'CONVERSATION' }),
  /** An inbound SMS by its inboundMessageId: applied once. */
  inboundSms: (inboundMessageId: string) => ({ PK: `SMSIN#${inboundMessageId}`, SK: 'SMSIN' }),
  aggregate: (scope: AggregateScope, bucket: string) => ({ PK: `AGG#${scope}`, SK: bucket }),
  streamCheckpoint: (shardId: string) => ({ PK: `STREAM#${shardId}`, SK: 'CHECKPOINT' }),
  /** The comment themes in force, with their version (absent: the default themes, version 0). */
  themeSet: () => ({ PK: 'THEMES', SK: 'SET' }),
  /** The background re-tag after a theme change: which version, where it has got to. */
  retagJob: () => ({ PK: 'THEMES', SK: 'RETAG' }),
  /** A one-off data migration: where it has got to, and when it finished. */
  migration: (name: string) => ({ PK: 'MIGRATION', SK: name }),
  /** A person who has signed in to the console, by their e-mail address in lower case. */
  user: (email: string) => ({ PK: `USER#${email.toLowerCase()}`, SK: 'USER' }),
} as const;

/** Campaign and follow-up ids are ULIDs, as `ulid()` writes them: 26 characters of Crockford's base 32. */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Whether a client-given id can name a campaign or follow-up at all; anything else never reaches a key. */
export const isRecordId = (id: string): boolean => ULID.test(id);

export const FOLLOWUP_EVENT_PREFIX = 'EVENT#';

export const COUNT_SHARDS = 4;
export const COUNTS_PREFIX = 'COUNTS#';
const randomCountShard = () => Math.floor(Math.random() * COUNT_SHARDS);

/**
 * The one-off migration that stamps opt-outs and suppressions written before stamps on their
 * contacts (shared/app/contact-blocks-migration.ts). A table made by this version has nothing to
 * stamp, so whoever makes one may mark it done (`{ ...keys.migration(...), doneAt }`).
 */
export const CONTACT_BLOCKS_MIGRATION = 'CONTACT_BLOCK_STAMPS';

export const gsi1 = {
  campaigns: 'CAMPAIGNS',
  /** A contact's invitations (by hashed address), so erasure finds them all. */
  contactInvitations: (contactKey: string) => `CONTACT#${contactKey}#INV`,
  /**
   * A campaign's responses, sorted by first answer (`AT#<firstAnsweredAt>#<invitationId>`, see
   * campaignFeedSort), so a date range is a key condition. Responses written before the feed kept
   * the bare invitation id here; the re-tag sweep rewrites them (shared/app/themes.ts).
   */
  campaignResponses: (campaignId: string) => `CAMPAIGN#${campaignId}#RESP`,
  followups: 'FOLLOWUPS',
  /** Everyone who has signed in, sorted by e-mail address. */
  users: 'USERS',
} as const;

/** GSI2 holds only open follow-up cases that have not been escalated, by due time. */
export const gsi2 = { openFollowups: 'FOLLOWUPS#OPEN' } as const;

/**
 * GSI3 holds every case that is not closed (open or contacted), by due time (`<dueAt>#<id>`):
 * the inbox's open, overdue and mine views read only the cases still to be worked, soonest due
 * first, however many closed cases the table holds. A case leaves it when it closes.
 */
export const gsi3 = { activeFollowups: 'FOLLOWUPS#ACTIVE' } as const;
export const gsi3Sort = (item: { dueAt: string; id: string }): string => `${item.dueAt}#${item.id}`;

/** The sort key of a response in its campaign's GSI1 partition: by first answer, then invitation. */
export const campaignFeedSort = (firstAnsweredAt: string, invitationId: string): string => `${CAMPAIGN_FEED_PREFIX}${firstAnsweredAt}#${invitationId}`;
export const CAMPAIGN_FEED_PREFIX = 'AT#';

/**
 * GSI4 holds every response, whatever its campaign, in one partition per UTC month of its first
 * answer (`RESPONSES#2026-12`), newest last by `<firstAnsweredAt>#<invitationId>`: the feed across
 * campaigns reads a month at a time, newest first, and a date range is a key condition.
 */
export const gsi4 = {
  responses: (month: string) => `${RESPONSES_MONTH_PREFIX}${month}`,
  sort: (firstAnsweredAt: string, invitationId: string) => `${firstAnsweredAt}#${invitationId}`,
} as const;
export const RESPONSES_MONTH_PREFIX = 'RESPONSES#';

/** The keys and search text that put a response in the feed, from what the response holds. */
export const feedAttributes = (response: { invitationId: string; campaignId: string; firstAnsweredAt: string; comment?: string | undefined }) => ({
  GSI1PK: gsi1.campaignResponses(response.campaignId),
  GSI1SK: campaignFeedSort(response.firstAnsweredAt, response.invitationId),
  GSI4PK: gsi4.responses(monthOf(response.firstAnsweredAt)),
  GSI4SK: gsi4.sort(response.firstAnsweredAt, response.invitationId),
  ...(response.comment ? { commentFolded: foldForSearch(response.comment) } : {}),
});

export const RESPONSE_SK = 'RESPONSE';

// A contact's shape is a rule of core; the items that carry one re-export it.
export { Contact };

export { AssignmentRulesItem, CampaignItem, FollowupEvent, FollowupItem } from '#shared/table/api-items';

/**
 * An invitation's life: held (scheduled) or queued, claimed while sending, then exactly one
 * terminal state: sent, failed (with a reason), suppressed (bounced or complained before it
 * went out) or withdrawn (the contact opted out before it went out).
 */
export const InvitationStatus = z.enum(['scheduled', 'queued', 'sending', 'sent', 'failed', 'suppressed', 'withdrawn']);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

export const InvitationItem = z.object({
  id: z.string(),
  campaignId: z.string(),
  channel: Channel,
  contact: Contact,
  /** Segment values captured when the invitation was made, so a score never moves segment later. */
  segments: z.record(z.string(), z.string()),
  status: InvitationStatus,
  /** When it may first go out: the campaign's sendAt, or for SMS the recipient's next window. */
  dueAt: z.optional(z.string()),
  createdAt: z.string(),
  claimedAt: z.optional(z.string()),
  /** The status the first claim took it from (scheduled or queued), so settling moves the scheduled count once. */
  claimedFrom: z.optional(InvitationStatus),
  /** What claims made before `claimedFrom` kept instead: whether it was counted as scheduled. */
  heldBefore: z.optional(z.boolean()),
  sentAt: z.optional(z.string()),
  failedReason: z.optional(z.string()),
  clickedAt: z.optional(z.string()),
  /** Hash of the normalized address; keys the contact's throttle, opt-out and suppression. */
  contactKey: z.optional(z.string()),
  remindedAt: z.optional(z.string()),
  erasedAt: z.optional(z.string()),
  /**
   * Marked by an opt-out or a suppression of the contact while this invitation was still to be
   * sent (or reminded): the send's claim reads it, so the send needs no other read to skip it.
   */
  blockedBy: z.optional(z.enum(['opted_out', 'suppressed'])),
  /**
   * Set by every write whose campaign counts the table's stream moves (settle, hold at send
   * time, click). Writes made before counts moved there counted themselves, in a transaction.
   */
  countsFromStream: z.optional(z.boolean()),
});
export type InvitationItem = z.infer<typeof InvitationItem>;

/**
 * Whether this invitation is in the campaign's `scheduled` count (held, or claimed from held;
 * `heldBefore` is how claims made before `claimedFrom` recorded it).
 */
export const countedAsScheduled = (invitation: Pick<InvitationItem, 'status' | 'claimedFrom' | 'heldBefore'>): boolean =>
  invitation.status === 'scheduled' ||
  (invitation.status === 'sending' && (invitation.claimedFrom === 'scheduled' || invitation.heldBefore === true));

export const ResponseItem = z.object({
  PK: z.string(),
  SK: z.literal(RESPONSE_SK),
  invitationId: z.string(),
  campaignId: z.string(),
  score: z.int().check(z.minimum(0), z.maximum(10)),
  comment: z.optional(z.string()),
  segments: z.record(z.string(), z.string()),
  /** UTC day of the first answer: an edit never moves a response to another day. */
  day: z.string(),
  firstAnsweredAt: z.string(),
  answeredAt: z.string(),
  version: z.int(),
  /** The themes the comment talks about, and the version of the theme set that found them. */
  themes: z.optional(z.array(z.string())),
  themesVersion: z.optional(z.int()),
  /** The comment folded for search (shared/core/feed.ts); it goes wherever the comment goes. */
  commentFolded: z.optional(z.string()),
});
export type ResponseItem = z.infer<typeof ResponseItem>;

/**
 * Whether a stored item at a response's key is erasure's tombstone rather than an answer. With no
 * answer yet, erasure leaves the mark alone (`erasedAt`), so an answer written after the erasure
 * (from a page read before it) is refused by its condition. It has no score, campaign or feed
 * keys, so no score, feed, theme count, export or case sees it.
 */
export const isResponseTombstone = (item: Readonly<Record<string, unknown>>): boolean => item.score === undefined && item.erasedAt !== undefined;

/** A stored item at a response's key, read as the response; undefined when there is none or only the tombstone. */
export const storedResponse = (item: Readonly<Record<string, unknown>> | undefined): ResponseItem | undefined =>
  item === undefined || isResponseTombstone(item) ? undefined : ResponseItem.parse(item);

/** The entry types that may quote or reach the customer, deleted when the contact is erased. */
export const PERSONAL_ENTRY_TYPES = ['note', 'reply', 'comment'] as const;

/** Counters on a campaign; skips are `skipped_<reason>` attributes so ADD can move them. */
const count = () => z._default(z.number(), 0);
export const CountsItem = z.catchall(
  z.object({
    recipients: count(),
    scheduled: count(),
    sent: count(),
    failed: count(),
    suppressed: count(),
    withdrawn: count(),
    reminded: count(),
    clicked: count(),
  }),
  z.unknown(),
);
export const SKIPPED_PREFIX = 'skipped_';

/** Strips the table's key attributes before an item leaves through the API. */
export const withoutKeys = <T extends Record<string, unknown>>(item: T): Omit<T, 'PK' | 'SK' | 'GSI1PK' | 'GSI1SK'> => {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, ...rest } = item;
  return rest;
};
