import { describe, expect, it } from 'vitest';
import { timelineEntries } from '#shared/app/followups';
import { FollowupPatch } from '#shared/contract/followups';
import { FollowupEvent, FollowupItem } from '#shared/table/items';

/** What a manager's change to a case writes to the case's timeline. */
describe('timelineEntries', () => {
  const at = '2026-12-01T15:00:00.000Z';

  it('makes one entry for each thing changed', () => {
    const entries = timelineEntries('case1', { status: 'contacted', assignee: 'maria', note: 'Called her' }, at, 'api key');
    expect(entries).toEqual([
      { type: 'status', caseId: 'case1', at, by: 'api key', status: 'contacted' },
      { type: 'assignee', caseId: 'case1', at, by: 'api key', assignee: 'maria' },
      { type: 'note', caseId: 'case1', at, by: 'api key', text: 'Called her' },
    ]);
    for (const entry of entries) expect(FollowupEvent.parse(entry)).toEqual(entry);
  });

  it('makes only a note entry for a note', () => {
    expect(timelineEntries('case1', { note: 'Left a voicemail' }, at, 'maria@example.com')).toEqual([
      { type: 'note', caseId: 'case1', at, by: 'maria@example.com', text: 'Left a voicemail' },
    ]);
  });

  it('records closing with its reason, and unassigning as an assignee of null', () => {
    expect(timelineEntries('case1', { status: 'closed', closeReason: 'duplicate', assignee: null }, at, 'api key')).toEqual([
      { type: 'status', caseId: 'case1', at, by: 'api key', status: 'closed', closeReason: 'duplicate' },
      { type: 'assignee', caseId: 'case1', at, by: 'api key', assignee: null },
    ]);
  });
});

describe('FollowupPatch', () => {
  it('refuses closing without a reason, saying a closeReason is needed', () => {
    const result = FollowupPatch.safeParse({ status: 'closed' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['closeReason'], message: expect.stringMatching(/give a closeReason/) })]);
  });

  it('takes closing with a reason', () => {
    expect(FollowupPatch.parse({ status: 'closed', closeReason: 'no_response' })).toEqual({ status: 'closed', closeReason: 'no_response' });
  });

  it("still takes 0.1's status resolved, as closed for the reason resolved", () => {
    expect(FollowupPatch.parse({ status: 'resolved' })).toEqual({ status: 'closed', closeReason: 'resolved' });
  });

  it('refuses a closeReason on a case that is not being closed', () => {
    expect(FollowupPatch.safeParse({ status: 'contacted', closeReason: 'resolved' }).success).toBe(false);
  });

  it('takes a note of up to 2,000 characters and refuses a longer one', () => {
    expect(FollowupPatch.safeParse({ note: 'x'.repeat(2000) }).success).toBe(true);
    expect(FollowupPatch.safeParse({ note: 'x'.repeat(2001) }).success).toBe(false);
  });
});

describe('stored cases and entries of 0.1', () => {
  const at = '2026-12-01T15:00:00.000Z';
  const stored = {
    id: '01KB0000000000000000000001',
    campaignId: '01KB0000000000000000000000',
    invitationId: 'inv',
    score: 2,
    status: 'resolved',
    resolvedAt: '2026-11-02T10:00:00.000Z',
    dueAt: '2026-11-03T10:00:00.000Z',
    contact: {},
    segments: {},
    notes: [],
    createdAt: '2026-11-01T10:00:00.000Z',
  };

  it('read a resolved case as closed for the reason resolved, closed when it was resolved', () => {
    expect(FollowupItem.parse(stored)).toMatchObject({ status: 'closed', closeReason: 'resolved', closedAt: '2026-11-02T10:00:00.000Z' });
  });

  it('read a resolved status entry as closed/resolved', () => {
    expect(FollowupEvent.parse({ type: 'status', caseId: 'c', at, status: 'resolved' })).toEqual({ type: 'status', caseId: 'c', at, status: 'closed', closeReason: 'resolved' });
  });
});
