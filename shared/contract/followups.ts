/**
 * Follow-up cases: `GET /v1/followups` (FollowupListQuery → FollowupPage) and
 * `PATCH /v1/followups/{id}` (FollowupPatch → FollowupCase).
 */
import { z } from 'zod';
import { FollowupStatus, page, PageQuery, text } from '#shared/contract/fields';

export const FollowupQuery = z
  .object({ status: FollowupStatus.optional(), campaignId: z.string().max(64).optional() })
  .strict();

export const FollowupListQuery = FollowupQuery.extend(PageQuery.shape);

export const FollowupPatch = z
  .object({
    status: FollowupStatus.optional(),
    assignee: text(200).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((p) => p.status !== undefined || p.assignee !== undefined || p.note !== undefined, {
    message: 'give a status, an assignee or a note',
  });
export type FollowupPatch = z.infer<typeof FollowupPatch>;

/** The person a case is about, as the case copied them (empty once erased). */
export const CaseContact = z.object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() });

export const Note = z.object({ at: z.string(), text: z.string() });
export type Note = z.infer<typeof Note>;

/** A detractor's case as managers see it: its latest notes, and how many it has in all. */
export const FollowupCase = z.object({
  id: z.string(),
  campaignId: z.string(),
  invitationId: z.string(),
  score: z.number(),
  comment: z.string().optional(),
  status: FollowupStatus,
  assignee: z.string().optional(),
  dueAt: z.string(),
  contact: CaseContact,
  notes: z.array(Note),
  noteCount: z.number().int(),
  createdAt: z.string(),
  /** When the case was alerted again for being overdue (once). */
  escalatedAt: z.string().optional(),
});
export type FollowupCase = z.infer<typeof FollowupCase>;

export const FollowupPage = page(FollowupCase);
export type FollowupPage = z.infer<typeof FollowupPage>;
