import { describe, expect, it } from 'vitest';
import { caseUpdate, timelineEntries } from '#shared/app/followups';
import { FollowupListQuery, FollowupPatch } from '#shared/contract/followups';
import { defaultThemes } from '#shared/core/default-themes';
import { namedThemes } from '#shared/core/theme-set';
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

describe('caseUpdate', () => {
  process.env.TABLE_NAME = 'npsloop-test';
  const now = new Date('2026-12-01T15:00:00.000Z');
  const item = FollowupItem.parse({
    id: '01KB0000000000000000000001',
    campaignId: '01KB0000000000000000000000',
    invitationId: 'inv',
    score: 2,
    status: 'open',
    dueAt: '2026-12-03T10:00:00.000Z',
    contact: {},
    segments: {},
    createdAt: '2026-12-01T10:00:00.000Z',
  });
  const update = (change: Parameters<typeof caseUpdate>[1]) => {
    const write = caseUpdate(item, change, now).Update;
    if (!write) throw new Error('not an update');
    return write;
  };

  it('records the first action once, whatever the action', () => {
    expect(update({ note: true }).UpdateExpression).toContain('firstActionAt = if_not_exists(firstActionAt, :now)');
  });

  it('closes with the reason and the time, and takes the case out of the inbox and the escalation watch', () => {
    const write = update({ status: 'closed', closeReason: 'duplicate' });
    expect(write.UpdateExpression).toMatch(/closedAt = :now, closeReason = :reason/);
    expect(write.UpdateExpression).toMatch(/REMOVE GSI2PK, GSI2SK, GSI3PK, GSI3SK/);
    expect(write.ExpressionAttributeValues).toMatchObject({ ':status': 'closed', ':reason': 'duplicate' });
  });

  it('keeps a contacted case in the inbox by its due time, out of the escalation watch', () => {
    const write = update({ status: 'contacted' });
    expect(write.ExpressionAttributeValues).toMatchObject({ ':active': 'FOLLOWUPS#ACTIVE', ':dueSort': `2026-12-03T10:00:00.000Z#${item.id}` });
    expect(write.UpdateExpression).toMatch(/REMOVE closedAt, closeReason, GSI2PK, GSI2SK/);
  });

  it('unassigns with null, and never touches an erased case', () => {
    const write = update({ assignee: null });
    expect(write.UpdateExpression).toMatch(/REMOVE assignee/);
    expect(write.ConditionExpression).toBe('attribute_exists(PK) AND attribute_not_exists(erasedAt)');
  });
});

describe('the inbox query', () => {
  it('takes a theme id, alone or with a view and a campaign', () => {
    expect(FollowupListQuery.parse({ view: 'open', theme: 'delivery', campaignId: 'c1', limit: '25' })).toEqual({ view: 'open', theme: 'delivery', campaignId: 'c1', limit: 25 });
    expect(FollowupListQuery.parse({ theme: 'product_quality' })).toEqual({ theme: 'product_quality', limit: 50 });
  });

  it('refuses a theme that cannot be a theme id, naming the field', () => {
    for (const theme of ['', 'Delivery', 'доставка', 'a'.repeat(33), '1price', "delivery' OR 1=1"]) {
      const result = FollowupListQuery.safeParse({ theme });
      expect(result.success, theme).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['theme']);
    }
  });

  it('refuses a query field it does not know, such as themes', () => {
    expect(FollowupListQuery.safeParse({ themes: 'delivery' }).success).toBe(false);
  });
});

describe('the themes a case shows', () => {
  const themes = defaultThemes;

  it("names each theme in the case's language, in the order the case holds them", () => {
    expect(namedThemes(['price', 'delivery'], themes, 'ru')).toEqual([
      { id: 'price', name: themes.find((t) => t.id === 'price')?.name.ru },
      { id: 'delivery', name: themes.find((t) => t.id === 'delivery')?.name.ru },
    ]);
    expect(namedThemes(['delivery'], themes, 'en')).toEqual([{ id: 'delivery', name: 'Delivery' }]);
  });

  it('shows a theme the set no longer holds by its id rather than hiding it', () => {
    expect(namedThemes(['parking'], themes, 'en')).toEqual([{ id: 'parking', name: 'parking' }]);
  });

  it('reads a stored case with themes and a locale, and an old case without either', () => {
    const stored = {
      id: 'case1', campaignId: 'c1', invitationId: 'inv1', score: 2, status: 'open', dueAt: '2026-12-03T10:00:00.000Z',
      contact: {}, segments: {}, notes: [], createdAt: '2026-12-01T10:00:00.000Z',
    };
    expect(FollowupItem.parse({ ...stored, themes: ['delivery'], locale: 'ru' })).toMatchObject({ themes: ['delivery'], locale: 'ru' });
    const old = FollowupItem.parse(stored);
    expect(old.themes).toBeUndefined();
    expect(old.locale).toBeUndefined();
  });
});
