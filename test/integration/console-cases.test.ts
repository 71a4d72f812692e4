import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { FollowupCase, FollowupDetail } from '#shared/contract/followups';
import { api, eventually, outbox, request, uniqueEmail } from '#test/integration/client';

/**
 * The managers' console's case work on the real local runtime: the inbox views, the case with
 * its timeline, replies to the customer (exactly once), closing, the closed-loop figures,
 * assignment rules and erasure. Calls use the API key, so the actor is `api key`.
 */
interface Mail {
  to: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
}
interface Sms {
  to: string;
  body: string;
}

let processDue: typeof import('#shared/app/sending').processDue;
let moveCustomerTo: (invitationId: string, timezone: string) => Promise<void>;
let storedEntries: (caseId: string) => Promise<Record<string, unknown>[]>;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ processDue } = await import('#shared/app/sending'));
  const [{ queryAll }, { tableName }, { keys, FOLLOWUP_EVENT_PREFIX }, { dynamo }, { UpdateCommand }] = await Promise.all([
    import('#shared/table/query'),
    import('#shared/aws/config'),
    import('#shared/table/items'),
    import('#shared/aws/clients'),
    import('@aws-sdk/lib-dynamodb'),
  ]);
  storedEntries = async (caseId) =>
    queryAll({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
      ExpressionAttributeValues: { ':pk': keys.followup(caseId).PK, ':events': FOLLOWUP_EVENT_PREFIX },
    });
  // The customer is now somewhere else (their invitation keeps the zone replies are timed by).
  moveCustomerTo = async (invitationId, timezone) => {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET contact.#zone = :zone',
        ExpressionAttributeNames: { '#zone': 'timezone' },
        ExpressionAttributeValues: { ':zone': timezone },
      }),
    );
  };
});

const mails = (to: string) => outbox<Mail>({ box: 'email', to });
const replyMails = async (to: string) => (await mails(to)).filter((m) => m.subject.startsWith('About your feedback'));

/** An e-mail campaign (plan as its segment) and a customer of it who answered `score`; their case, once it opened. */
const answered = async (score: number, options: { email?: string; plan?: string; comment?: string } = {}) => {
  const email = options.email ?? uniqueEmail('case');
  const { id: campaignId } = (
    await api('POST /v1/campaigns', { body: { name: 'Console cases', brand: 'Acme', channel: 'email', segments: ['plan'], throttleDays: 0 } })
  ).body;
  const mailsBefore = (await mails(email)).length;
  await api('POST /v1/campaigns/{id}/recipients', {
    params: { id: campaignId },
    body: { recipients: [{ email, name: 'Dana', attributes: { plan: options.plan ?? 'basic' } }] },
  });
  // The newest mail, once this campaign's invitation has arrived.
  const html = await eventually(async () => {
    const sent = await mails(email);
    return sent.length > mailsBefore ? sent[0]?.html : undefined;
  }, { what: 'the invitation' });
  const token = /\/s\/([^?"]+)\?score=/.exec(html)?.[1] ?? '';
  const unsubscribe = /\/u\/([^"?]+)"/.exec(html)?.[1] ?? '';
  await request('POST', `/s/${token}`, { body: { score, ...(options.comment ? { comment: options.comment } : {}) }, auth: false });
  return { email, campaignId, token, unsubscribe };
};

const caseOf = async (campaignId: string): Promise<FollowupCase> =>
  eventually(async () => (await api('GET /v1/followups', { query: { campaignId } })).body.items[0], { what: 'the case' });

const detail = async (id: string): Promise<FollowupDetail> => (await api('GET /v1/followups/{id}', { params: { id } })).body;

/** Every case of a view, page after page (other tests' cases are there too). */
const wholeView = async (view: string, campaignId?: string): Promise<FollowupCase[]> => {
  const all: FollowupCase[] = [];
  let cursor: string | undefined;
  do {
    const { body } = await api('GET /v1/followups', { query: { view, limit: 100, cursor, campaignId } });
    all.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return all;
};

const reply = (id: string, body: unknown, key: string) =>
  request<Record<string, unknown>>('POST', `/v1/followups/${id}/replies`, { body, headers: { 'idempotency-key': key } });

describe('a detractor case in the console', () => {
  it('opens in view=open, is assigned, noted and replied to by e-mail exactly once, and shows its timeline newest first', async () => {
    // GIVEN a customer who once answered 9, and now answers 2 in another campaign
    const email = uniqueEmail('history');
    const earlier = await answered(9, { email });
    await eventually(async () => ((await api('GET /v1/campaigns/{id}', { params: { id: earlier.campaignId } })).body.counts.responded === 1 ? true : undefined));
    const { campaignId } = await answered(2, { email, comment: 'Late again' });
    const kase = await caseOf(campaignId);

    // THEN the case is in the open inbox, sorted by due time, and not in the overdue one
    const open = await wholeView('open');
    expect(open.map((c) => c.id)).toContain(kase.id);
    expect(open.map((c) => c.dueAt)).toEqual(open.map((c) => c.dueAt).toSorted());
    expect((await wholeView('overdue', campaignId)).map((c) => c.id)).not.toContain(kase.id);

    // WHEN a manager assigns it and adds a note
    await api('PATCH /v1/followups/{id}', { params: { id: kase.id }, body: { assignee: 'maria@example.com' } });
    await api('PATCH /v1/followups/{id}', { params: { id: kase.id }, body: { note: 'Will write to her' } });

    // AND sends a reply twice at once with one Idempotency-Key, then once more with it
    const text = 'We are sorry, Dana.\n\nYour next delivery is on us.';
    const key = `reply-${kase.id}`;
    const together = await Promise.all([reply(kase.id, { text }, key), reply(kase.id, { text }, key)]);
    const again = await reply(kase.id, { text }, key);

    // THEN one went through and the other was a replay or told to wait; the third is a replay
    expect(together.map((r) => r.status).toSorted()).toSatisfy((s: number[]) => s[0] === 200 && [200, 409].includes(s[1] ?? 0));
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    // ... and the customer got exactly one mail, branded, with the text, and no Reply-To (an API key has no address)
    const sent = await replyMails(email);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ subject: 'About your feedback to Acme', replyTo: [] });
    expect(sent[0]?.text).toContain('Your next delivery is on us.');

    // AND the case was contacted, first acted on once, and its timeline is newest first with who did what
    const read = await detail(kase.id);
    expect(read).toMatchObject({ status: 'contacted', assignee: 'maria@example.com', channel: 'email', campaignName: 'Console cases', segments: { plan: 'basic' } });
    expect(read.firstActionAt).toBeDefined();
    expect(read.timeline.map((e) => [e.type, e.by])).toEqual([
      ['reply', 'api key'],
      ['note', 'api key'],
      ['assignee', 'api key'],
      ['opened', undefined],
    ]);
    expect(read.timeline[0]).toMatchObject({ type: 'reply', channel: 'email', delivery: 'sent', text });
    expect(read.reply).toEqual({ channel: 'email', allowed: true });
    // ... with the customer's earlier answer
    expect(read.earlierAnswers).toEqual([expect.objectContaining({ campaignId: earlier.campaignId, campaignName: 'Console cases', score: 9 })]);
  });

  it('replies and closes in one step, and the closed case leaves the open inbox', async () => {
    const { email, campaignId } = await answered(0);
    const kase = await caseOf(campaignId);

    const done = await reply(kase.id, { text: 'Refund sent today.', close: 'resolved' }, 'close-1');

    expect(done.status).toBe(200);
    expect(done.body.case).toMatchObject({ status: 'closed', closeReason: 'resolved' });
    expect(await replyMails(email)).toHaveLength(1);
    const read = await detail(kase.id);
    expect(read.closedAt).toBeDefined();
    expect(read.timeline.slice(0, 2).map((e) => e.type).toSorted()).toEqual(['reply', 'status']);
    expect((await wholeView('open', campaignId)).map((c) => c.id)).not.toContain(kase.id);
    expect((await wholeView('all', campaignId)).map((c) => c.id)).toContain(kase.id);
  });

  it('refuses to close without a reason, and still takes 0.1\'s status resolved', async () => {
    const { campaignId } = await answered(1);
    const kase = await caseOf(campaignId);

    const refused = await request('PATCH', `/v1/followups/${kase.id}`, { body: { status: 'closed' } });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('closeReason');
    expect((await detail(kase.id)).status).toBe('open');

    const legacy = await api('PATCH /v1/followups/{id}', { params: { id: kase.id }, body: { status: 'resolved' } });
    expect(legacy.body).toMatchObject({ status: 'closed', closeReason: 'resolved' });
    expect((await api('GET /v1/followups', { query: { campaignId, status: 'resolved' } })).body.items.map((c) => c.id)).toEqual([kase.id]);
  });

  it('refuses a reply to a customer who opted out, says why, and sends nothing', async () => {
    const { email, campaignId, unsubscribe } = await answered(3);
    const kase = await caseOf(campaignId);
    expect((await request('POST', `/u/${unsubscribe}`, { auth: false })).status).toBe(200);

    const refused = await reply(kase.id, { text: 'Hello?' }, 'optout-1');

    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: { code: 'conflict', message: expect.stringMatching(/opted out/) } });
    expect(await replyMails(email)).toEqual([]);
    const read = await detail(kase.id);
    expect(read.reply).toEqual({ channel: 'email', allowed: false, blockedBy: 'opted_out' });
    expect(read.timeline.map((e) => e.type)).toEqual(['opened']);
  });

  it('answers a reply without an Idempotency-Key with 400, and writes nothing', async () => {
    const { campaignId } = await answered(4);
    const kase = await caseOf(campaignId);
    const res = await request('POST', `/v1/followups/${kase.id}/replies`, { body: { text: 'Hi' } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Idempotency-Key');
    expect((await detail(kase.id)).timeline.map((e) => e.type)).toEqual(['opened']);
  });
});

describe('the live inbox', () => {
  it('answers an ETag, and 304 with no body while nothing changed', async () => {
    const { campaignId } = await answered(2);
    const kase = await caseOf(campaignId);
    const path = `/v1/followups?view=open&campaignId=${campaignId}`;

    const first = await request('GET', path);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const unchanged = await request('GET', path, { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');

    await api('PATCH /v1/followups/{id}', { params: { id: kase.id }, body: { note: 'Called' } });
    const changed = await request('GET', path, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });
});

describe('the closed-loop figures', () => {
  it('move as the case is acted on and closed', async () => {
    const { campaignId } = await answered(1);
    const kase = await caseOf(campaignId);
    const today = new Date().toISOString().slice(0, 10);
    const stats = async () => (await api('GET /v1/followups/stats', { query: { campaignId, from: today, to: today } })).body;

    expect(await stats()).toMatchObject({ cases: 1, contacted: 0, contactedShare: 0, medianMinutesToFirstAction: null, closed: 0, closedWithinSlaShare: 0 });

    await reply(kase.id, { text: 'We are on it.' }, 'stats-1');
    const contacted = await stats();
    expect(contacted).toMatchObject({ cases: 1, contacted: 1, contactedShare: 1, closed: 0 });
    expect(contacted.medianMinutesToFirstAction).toBeGreaterThanOrEqual(0);

    await api('PATCH /v1/followups/{id}', { params: { id: kase.id }, body: { status: 'closed', closeReason: 'resolved' } });
    expect(await stats()).toMatchObject({ cases: 1, closed: 1, closedWithinSla: 1, closedWithinSlaShare: 1 });

    // A range before the case opened holds none of it
    expect(await (async () => (await api('GET /v1/followups/stats', { query: { campaignId, from: '2020-01-01', to: '2020-01-31' } })).body)()).toMatchObject({
      cases: 0,
      contactedShare: null,
    });
  });
});

describe('assignment rules', () => {
  it('assign a new case by its segment value, with a timeline entry by rule', async () => {
    const plan = `vip${Date.now().toString(36)}`;
    const before = (await api('GET /v1/assignment-rules')).body;
    await api('PUT /v1/assignment-rules', { body: { rules: [...before.rules, { attribute: 'plan', value: plan, assignee: 'olga@example.com' }] } });
    try {
      const { campaignId } = await answered(2, { plan });
      const kase = await caseOf(campaignId);
      expect(kase.assignee).toBe('olga@example.com');
      expect((await detail(kase.id)).timeline.map((e) => [e.type, e.by])).toEqual([
        ['assignee', 'rule'],
        ['opened', undefined],
      ]);
      // ... and a case of another plan is left unassigned
      const other = await caseOf((await answered(2, { plan: 'basic' })).campaignId);
      expect(other.assignee).toBeUndefined();
    } finally {
      await api('PUT /v1/assignment-rules', { body: before });
    }
  });
});

describe('a reply by SMS', () => {
  it('waits for the customer\'s quiet hours to end, then goes out once', async () => {
    // GIVEN an SMS detractor's case, the customer in a zone where it is daytime now
    const phone = `+49151${String(Date.now() % 1e5).padStart(5, '0')}9${Math.floor(Math.random() * 90 + 10)}`;
    const daytime = (hour: number) => {
      const offset = ((hour - new Date().getUTCHours() + 36) % 24) - 12;
      return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    };
    const { id: campaignId } = (await api('POST /v1/campaigns', { body: { name: 'SMS cases', brand: 'Acme', channel: 'sms', throttleDays: 0 } })).body;
    await api('POST /v1/campaigns/{id}/recipients', { params: { id: campaignId }, body: { recipients: [{ phone, timezone: daytime(13) }] } });
    const texts = () => outbox<Sms>({ box: 'sms', to: phone });
    await eventually(async () => ((await texts()).length > 0 ? true : undefined), { what: 'the SMS invitation' });
    await request('POST', '/local/sms/inbound', { body: { from: phone, body: '2' } });
    const kase = await caseOf(campaignId);
    // The invitation and the follow-up question
    const textsBefore = await eventually(async () => {
      const n = (await texts()).length;
      return n >= 2 ? n : undefined;
    }, { what: 'the follow-up question' });

    // WHEN the customer is now where it is 2 at night, and a manager replies
    await moveCustomerTo(kase.invitationId, daytime(2));
    const held = await reply(kase.id, { text: 'Sorry about the delay.' }, 'sms-1');

    // THEN the reply is recorded as held until 09:00 there, and nothing is sent yet
    expect(held.status).toBe(200);
    const entry = held.body.reply as { delivery: string; heldUntil: string; channel: string };
    expect(entry).toMatchObject({ channel: 'sms', delivery: 'held' });
    expect(Date.parse(entry.heldUntil)).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect((await texts()).length).toBe(textsBefore);

    // WHEN the held message is released at that time, and delivered twice (at-least-once)
    const stored = (await storedEntries(kase.id)).find((e) => e.type === 'reply');
    const entryId = String(stored?.SK).replace('EVENT#', '');
    const message = { invitationId: kase.invitationId, kind: 'reply' as const, dueAt: entry.heldUntil, caseId: kase.id, entryId };
    const at = new Date(Date.parse(entry.heldUntil) + 1_000);
    expect(await processDue(message, at)).toBe('sent');
    expect(await processDue(message, at)).toBe('done-before');

    // THEN the customer got it exactly once, from the brand, and the entry says sent
    const after = await texts();
    expect(after.length).toBe(textsBefore + 1);
    expect(after[0]?.body).toBe('Acme: Sorry about the delay.');
    expect((await detail(kase.id)).timeline[0]).toMatchObject({ type: 'reply', delivery: 'sent' });
  });
});

describe('erasing a customer with a replied case', () => {
  it('deletes the replies, copied comments and notes, and keeps the anonymous entries', async () => {
    const { email, campaignId, token } = await answered(1);
    const kase = await caseOf(campaignId);
    await reply(kase.id, { text: 'Dana, we will call you.' }, 'erase-1');
    await request('POST', `/s/${token}`, { body: { score: 1, comment: 'Nobody called' }, auth: false });
    await eventually(async () => ((await detail(kase.id)).timeline.some((e) => e.type === 'comment') ? true : undefined), { what: 'the later comment' });

    expect((await api('DELETE /v1/contacts', { body: { email } })).status).toBe(200);

    const types = (await storedEntries(kase.id)).map((e) => e.type);
    expect(types).not.toContain('reply');
    expect(types).not.toContain('comment');
    expect(types).toContain('opened');
    const read = await detail(kase.id);
    expect(JSON.stringify(read)).not.toMatch(/Dana|Nobody called/);
    expect(read.reply).toMatchObject({ allowed: false, blockedBy: 'erased' });
  });
});
