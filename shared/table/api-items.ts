/**
 * The items stored as the API shows them: a campaign, a follow-up case, a case's timeline entry
 * and the assignment rules. Their schemas are the HTTP contract's (zod classic), so they live
 * apart from items.ts, whose schemas are zod/mini: a stream or queue consumer that never reads
 * one of these loads no zod classic (about 70 KB of each bundle). items.ts re-exports them.
 */
import * as z from 'zod';
import { LEGACY_RESOLVED, Locale } from '#shared/core/vocabulary';
import { Campaign } from '#shared/contract/campaigns';
import { AssignmentRules, FollowupCase, Note, TimelineEntry } from '#shared/contract/followups';

/** A campaign is stored as the API shows it. */
export const CampaignItem = Campaign;
export type CampaignItem = z.infer<typeof CampaignItem>;

/** 0.1 closed a case as `resolved` (with resolvedAt): such an item reads as closed for the reason resolved. */
const fromLegacyCase = (stored: unknown): unknown => {
  if (typeof stored !== 'object' || stored === null) return stored;
  const item = stored as Record<string, unknown>;
  if (item.status !== LEGACY_RESOLVED) return stored;
  return { ...item, status: 'closed', closeReason: item.closeReason ?? 'resolved', closedAt: item.closedAt ?? item.resolvedAt ?? item.updatedAt };
};

/** A case is stored as managers see it, with its segments and the alert's bookkeeping besides. */
export const FollowupItem = z.preprocess(
  fromLegacyCase,
  FollowupCase.extend({
    segments: z.record(z.string(), z.string()),
    /** The theme ids of the response's comment, as the case last copied them (the API names them). */
    themes: z.array(z.string()).optional(),
    /** The language the customer was asked in: theme names show in it. */
    locale: z.optional(Locale),
    /** Notes of cases written before the timeline had its own items; new notes are timeline entries. */
    notes: z.array(Note).default([]),
    /** How many notes the case's timeline holds. */
    noteCount: z.number().int().optional(),
    alertedAt: z.string().optional(),
    /** When someone first replied to the customer (the closed-loop figures count it as contacted). */
    contactedAt: z.string().optional(),
    erasedAt: z.string().optional(),
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
export const FollowupEvent = z.preprocess(fromLegacyEntry, z.intersection(TimelineEntry, z.object({ caseId: z.string() })));
export type FollowupEvent = z.infer<typeof FollowupEvent>;

/** The assignment rules, as the API shows them (the item also holds when they were saved). */
export const AssignmentRulesItem = AssignmentRules;

