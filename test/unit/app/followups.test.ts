import { describe, expect, it } from 'vitest';
import { timelineEntries } from '#shared/app/followups';
import { FollowupPatch } from '#shared/contract/followups';
import { FollowupEvent } from '#shared/table/items';

/** What a manager's change to a case writes to the case's timeline. */
describe('timelineEntries', () => {
  const at = '2026-12-01T15:00:00.000Z';

  it('makes one entry for each thing changed', () => {
    const entries = timelineEntries('case1', { status: 'contacted', assignee: 'maria', note: 'Called her' }, at);
    expect(entries).toEqual([
      { type: 'status', caseId: 'case1', at, status: 'contacted' },
      { type: 'assignee', caseId: 'case1', at, assignee: 'maria' },
      { type: 'note', caseId: 'case1', at, text: 'Called her' },
    ]);
    for (const entry of entries) expect(FollowupEvent.parse(entry)).toEqual(entry);
  });

  it('makes only a note entry for a note', () => {
    expect(timelineEntries('case1', { note: 'Left a voicemail' }, at)).toEqual([{ type: 'note', caseId: 'case1', at, text: 'Left a voicemail' }]);
  });
});

describe('FollowupPatch', () => {
  it('takes a note of up to 2,000 characters and refuses a longer one', () => {
    expect(FollowupPatch.safeParse({ note: 'x'.repeat(2000) }).success).toBe(true);
    expect(FollowupPatch.safeParse({ note: 'x'.repeat(2001) }).success).toBe(false);
  });
});
