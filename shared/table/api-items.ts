/**
 * The items stored as the API shows them: a campaign, a follow-up case, a case's timeline entry
 * and the assignment rules. They are kept apart from items.ts so that a consumer that reads only
 * invitations and responses (the score counter, the releaser) does not build these schemas at
 * every cold start; items.ts re-exports them. zod/mini, like items.ts.
 */
import * as z from 'zod/mini';
import { LEGACY_RESOLVED, Locale } from '#shared/core/vocabulary';
import { CampaignRecord, FollowupCaseRecord, Note, TimelineEntry } from '#shared/contract/records';

/** A campaign is stored as the API shows it. */
export const CampaignItem = CampaignRecord;
export type CampaignItem = z.infer<typeof CampaignItem>;

/** 0.1 closed a case as `resolved` (with resolvedAt): such an item reads as closed for the reason resolved. */
const fromLegacyCase = (stored: unknown): unknown => {
  if (typeof stored !== 'object' || stored === null) return stored;
  const item = stored as Record<string, unknown>;
  if (item.status !== LEGACY_RESOLVED) return stored;
  return { ...item, status: 'closed', closeReason: item.closeReason ?? 'resolved', closedAt: item.closedAt ?? item.resolvedAt ?? item.updatedAt };
};

/** A case is stored as managers see it, with its segments and the alert's bookkeeping besides. */
export const FollowupItem = z.pipe(
  z.transform(fromLegacyCase),
  z.extend(FollowupCaseRecord, {
    segments: z.record(z.string(), z.string()),
    /** The theme ids of the response's comment, as the case last copied them (the API names them). */
    themes: z.optional(z.array(z.string())),
    /** The language the customer was asked in: theme names show in it. */
    locale: z.optional(Locale),
    /** Notes of cases written before the timeline had its own items; new notes are timeline entries. */
    notes: z._default(z.array(Note), []),
    /** How many notes the case's timeline holds. */
    noteCount: z.optional(z.int()),
    alertedAt: z.optional(z.string()),
    /** When someone first replied to the customer (the closed-loop figures count it as contacted). */
    contactedAt: z.optional(z.string()),
    erasedAt: z.optional(z.string()),
  }),
);
export type FollowupItem = z.infer<typeof FollowupItem>;

/** A status entry written by 0.1 may say `resolved`. */
const fromLegacyEntry = (stored: unknown): unknown => {
  if (typeof stored !== 'object' || stored === null) return stored;
  const entry = stored as Record<string, unknown>;
  return entry.type === 'status' && entry.status === LEGACY_RESOLVED ? { ...entry, status: 'closed', closeReason: 'resolved' } : stored;
};

/**
 * An entry of a case's timeline, stored as the API shows it plus its case id (and, for a reply,
 * the send's bookkeeping). Notes, replies and later comments may quote the customer: erasure deletes them.
 */
export const FollowupEvent = z.pipe(z.transform(fromLegacyEntry), z.intersection(TimelineEntry, z.object({ caseId: z.string() })));
export type FollowupEvent = z.infer<typeof FollowupEvent>;

/**
 * The assignment rules as stored: the API checked each rule (AssignmentRules in the contract)
 * before it saved them, so a read checks only their shape.
 */
export const AssignmentRulesItem = z.object({ rules: z.array(z.object({ attribute: z.string(), value: z.string(), assignee: z.string() })) });
