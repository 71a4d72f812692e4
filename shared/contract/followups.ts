/**
 * Follow-up cases, the heart of the console's inbox:
 * - `GET /v1/followups` (FollowupListQuery → FollowupPage), with an ETag: `If-None-Match` answers 304;
 * - `GET /v1/followups/stats` (FollowupStatsQuery → ClosedLoopStats), the closed-loop figures;
 * - `GET /v1/followups/{id}` (→ FollowupDetail), the case with its timeline and the customer's earlier answers;
 * - `PATCH /v1/followups/{id}` (FollowupPatch → FollowupCase): assign, note, status, close with a reason;
 * - `POST /v1/followups/{id}/replies` (ReplyInput → ReplyResult, `Idempotency-Key` required): a
 *   reply to the customer on the channel they answered on, recorded on the case exactly once.
 */
import * as z from 'zod';
import { AttributeName, Channel, CloseReason, EmailAddress, FollowupStatus, IsoDay, page, PageQuery, text } from '#shared/contract/fields';
import { ThemeId } from '#shared/core/theme-set';
import { LEGACY_RESOLVED } from '#shared/core/vocabulary';
import { FollowupCaseRecord, TimelineEntry } from '#shared/contract/records';

export { CaseContact, CaseTheme, Note, TimelineEntry } from '#shared/contract/records';

/** A detractor's case as managers see it: its latest notes, and how many it has in all (records.ts declares its fields). */
export const FollowupCase = z.object(FollowupCaseRecord.shape);
export type FollowupCase = z.infer<typeof FollowupCase>;

/** A status as a client may send it: `resolved` (0.1's word) still means closed. */
const StatusInput = z.preprocess((value) => (value === LEGACY_RESOLVED ? 'closed' : value), FollowupStatus);

/**
 * The inbox's views, each sorted by due time, soonest first: open (not closed), overdue (not closed,
 * past due), mine (not closed, assigned to the signed-in user; a 400 for the API key), all (closed too).
 */
export const FollowupView = z.enum(['open', 'overdue', 'mine', 'all']);
export type FollowupView = z.infer<typeof FollowupView>;

export const FollowupQuery = z
  .object({
    /** Default `all`. */
    view: FollowupView.optional(),
    /** Kept for API clients: only cases with this status (`resolved` means closed). */
    status: StatusInput.optional(),
    campaignId: z.string().max(64).optional(),
    /** Only cases whose comment mentions this theme (an id of `GET /v1/themes`); cases without themes are skipped. */
    theme: z.optional(ThemeId),
  })
  .strict();

export const FollowupListQuery = FollowupQuery.extend(PageQuery.shape);

export const FollowupPatch = z
  .preprocess(
    // 0.1's `status: resolved` is closing with the reason resolved.
    (body) =>
      typeof body === 'object' && body !== null && (body as { status?: unknown }).status === LEGACY_RESOLVED
        ? { closeReason: 'resolved', ...body, status: 'closed' }
        : body,
    z
      .object({
        status: z.optional(FollowupStatus),
        /** Required when the status closes the case. */
        closeReason: z.optional(CloseReason),
        /** A user's e-mail address (or any name, for API clients); null unassigns. */
        assignee: text(200).nullable().optional(),
        note: z.string().trim().min(1).max(2000).optional(),
      })
      .strict()
      .refine((p) => p.status !== undefined || p.assignee !== undefined || p.note !== undefined, {
        message: 'give a status, an assignee or a note',
      })
      .refine((p) => p.status !== 'closed' || p.closeReason !== undefined, {
        message: 'say why the case is closed: give a closeReason (resolved, no_response, not_actionable, duplicate or other)',
        path: ['closeReason'],
      })
      .refine((p) => p.closeReason === undefined || p.status === 'closed', {
        message: 'a closeReason goes with status closed',
        path: ['closeReason'],
      }),
  );
export type FollowupPatch = z.infer<typeof FollowupPatch>;

export const FollowupPage = page(FollowupCase);
export type FollowupPage = z.infer<typeof FollowupPage>;

/** Why the console cannot message the customer, if it cannot. */
export const ReplyBlock = z.enum(['opted_out', 'suppressed', 'erased', 'no_address']);
export type ReplyBlock = z.infer<typeof ReplyBlock>;

/** The customer's other answers (newest first), so a manager sees the history before calling. */
export const EarlierAnswer = z.object({
  campaignId: z.string(),
  campaignName: z.string().optional(),
  score: z.number().int(),
  comment: z.string().optional(),
  answeredAt: z.string(),
});

/** How many timeline entries a case read shows: the latest ones. */
export const TIMELINE_SHOWN = 100;

export const FollowupDetail = z.object({
  ...FollowupCase.shape,
  /** Newest first: at most the latest TIMELINE_SHOWN (100) entries; older ones are not shown. */
  timeline: z.array(TimelineEntry),
  earlierAnswers: z.array(EarlierAnswer),
  reply: z.object({ channel: z.optional(Channel), allowed: z.boolean(), blockedBy: ReplyBlock.optional() }),
});
export type FollowupDetail = z.infer<typeof FollowupDetail>;

export const ReplyInput = z
  .object({
    text: z.string().trim().min(1).max(1000),
    /** Reply and close in one step, with this reason. */
    close: z.optional(CloseReason),
  })
  .strict();
export type ReplyInput = z.infer<typeof ReplyInput>;

export const ReplyResult = z.object({
  reply: TimelineEntry,
  case: FollowupCase,
  /** The same Idempotency-Key was seen before: this is the first answer again, nothing was sent twice. */
  replayed: z.literal(true).optional(),
});
export type ReplyResult = z.infer<typeof ReplyResult>;

export const FollowupStatsQuery = z
  .object({ campaignId: z.string().max(64).optional(), from: IsoDay.optional(), to: IsoDay.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

/** Closing the loop, for cases opened in the range: shares are 0–1, null with no cases. */
export const ClosedLoopStats = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  slaHours: z.number(),
  cases: z.number().int(),
  /** Cases where someone replied to the customer, or set the status to contacted or beyond. */
  contacted: z.number().int(),
  contactedShare: z.number().nullable(),
  /** Median minutes from opening to the first action, over cases acted on. */
  medianMinutesToFirstAction: z.number().nullable(),
  closed: z.number().int(),
  closedWithinSla: z.number().int(),
  /** Of all cases in the range, the share closed within the SLA. */
  closedWithinSlaShare: z.number().nullable(),
});
export type ClosedLoopStats = z.infer<typeof ClosedLoopStats>;

/** Assign new cases automatically: the first rule whose segment value matches the answer's wins. */
export const AssignmentRule = z.object({ attribute: AttributeName, value: text(200), assignee: EmailAddress });
export const AssignmentRules = z.object({ rules: z.array(AssignmentRule).max(200) }).strict();
export type AssignmentRules = z.infer<typeof AssignmentRules>;
