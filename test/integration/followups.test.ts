import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { FollowupCase } from '#shared/contract/followups';
import { api, detractorCases, eventually, outbox, request } from '#test/integration/client';

/** Managers work detractor cases: status, assignee and notes, and overdue cases escalate once. */
interface Alert {
  message: { type: string; followupId: string };
  /** What an e-mail subscriber reads. */
  email?: string;
  sms?: string;
}

let escalateOverdue: typeof import('#shared/app/followups').escalateOverdue;
let followupDeadLetters: () => Promise<number>;
let storedNotes: (caseId: string) => Promise<unknown[]>;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ escalateOverdue } = await import('#shared/app/followups'));
  const [{ queryAll }, { tableName }, { keys, FOLLOWUP_EVENT_PREFIX }] = await Promise.all([
    import('#shared/table/query'),
    import('#shared/aws/config'),
    import('#shared/table/items'),
  ]);
  storedNotes = async (caseId) =>
    (
      await queryAll({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
        ExpressionAttributeValues: { ':pk': keys.followup(caseId).PK, ':events': FOLLOWUP_EVENT_PREFIX },
      })
    ).filter((entry) => entry.type === 'note');
  const { sqs } = await import('#shared/aws/clients');
  const { queues } = await import('#shared/contract/wiring');
  const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  // The local runtime names each dead-letter queue after its queue (local/provision.ts).
  const QueueUrl = `${process.env[queues.followups.urlEnv] ?? ''}-dlq`;
  followupDeadLetters = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  };
});

/** Runs `work` for each item, at most `lanes` at a time. */
const inLanes = async <T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>) => {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next);
    }),
  );
};

/** Two detractors in a new campaign, each with an open case and its first alert. */
const twoDetractors = () => detractorCases('Cases');

const alertsFor = (followupId: string) => outbox<Alert>({ box: 'alerts', followupId });

describe('follow-up cases', () => {
  it('are worked by managers, and an overdue open case is escalated exactly once', async () => {
    const { cases } = await twoDetractors();
    const [left, worked] = cases as [FollowupCase, FollowupCase];

    // WHEN a manager assigns one case, notes a call and marks it contacted
    const patched = await api('PATCH /v1/followups/{id}', {
      params: { id: worked.id },
      body: { status: 'contacted', assignee: 'maria', note: 'Called, replacement on its way' },
    });
    expect(patched.body).toMatchObject({ status: 'contacted', assignee: 'maria', notes: [{ text: 'Called, replacement on its way' }] });
    expect((await request('PATCH', `/v1/followups/${worked.id}`, { body: { status: 'lost' } })).status).toBe(400);
    expect((await request('PATCH', '/v1/followups/nope', { body: { status: 'resolved' } })).status).toBe(404);

    // THEN nothing is escalated before the cases are due
    await escalateOverdue();
    expect(await alertsFor(left.id)).toHaveLength(1);

    // WHEN the escalator runs after the due time, twice
    const late = new Date(Date.parse(left.dueAt) + 60_000);
    await escalateOverdue(late);
    await escalateOverdue(late);

    // THEN the case left open gets one overdue alert, and the worked case none
    const alerts = await eventually(async () => {
      const list = await alertsFor(left.id);
      return list.length === 2 ? list : undefined;
    });
    expect(alerts.map((a) => a.message.type)).toEqual(['overdue', 'detractor']); // newest first
    // ... which a manager subscribed by e-mail or SMS reads as words, not JSON
    expect(alerts[0]?.email).toMatch(/^A follow-up case is overdue: a customer scored 1 out of 10 in “Cases”/);
    expect(alerts[1]?.email).toMatch(/^A customer scored 1 out of 10 in “Cases”\. A follow-up case is open for them\./);
    expect(alerts[1]?.sms).toMatch(/^Detractor 1\/10 in Cases/);
    expect(await alertsFor(worked.id)).toHaveLength(1);
    const after = (await api('GET /v1/followups', { query: { status: 'open', campaignId: left.campaignId } })).body.items.find((c) => c.id === left.id);
    expect(after?.escalatedAt).toBeDefined();
    // ... and the escalation is the latest entry of its timeline, made by nobody
    const timeline = (await api('GET /v1/followups/{id}', { params: { id: left.id } })).body.timeline;
    expect(timeline.map((e) => [e.type, e.by])).toEqual([
      ['escalated', undefined],
      ['opened', undefined],
    ]);
  });
});

describe('a case worked for a long time', () => {
  it('takes every note, however many, and still takes the customer\'s later comment', async () => {
    // GIVEN a detractor's open case
    const { id, cases, tokens, people } = await twoDetractors();
    const kase = cases.find((c) => c.contact.email === people[0]) as FollowupCase;
    const token = tokens[0] ?? '';
    const deadLettersBefore = await followupDeadLetters();

    // WHEN managers add 210 notes of 2,000 characters (420 KB, past DynamoDB's 400 KB item limit)
    const statuses: number[] = [];
    await inLanes([...Array(210).keys()], 8, async (n) => {
      const note = `note ${String(n).padStart(3, '0')} `.padEnd(2000, 'x');
      statuses.push((await request('PATCH', `/v1/followups/${kase.id}`, { body: { note } })).status);
    });

    // THEN every note was taken
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // WHEN the customer then adds a comment to their answer
    await request('POST', `/s/${token}`, { body: { score: 1, comment: 'The parcel came broken' }, auth: false });

    // THEN the comment lands on the case, which still shows its notes, and nothing is dead-lettered
    const updated = await eventually(async () => {
      const { items } = (await api('GET /v1/followups', { query: { campaignId: id } })).body;
      const found = items.find((c) => c.id === kase.id);
      return found?.comment === 'The parcel came broken' ? found : undefined;
    }, { what: 'the comment on the case' });
    // ... the case shows its latest 20 notes and counts all 210
    expect(updated.noteCount).toBe(210);
    expect(updated.notes).toHaveLength(20);
    expect(await followupDeadLetters()).toBe(deadLettersBefore);
  });
});

describe('erasing a contact with a worked case', () => {
  it('deletes the notes on the case, which may quote the customer', async () => {
    // GIVEN a case with a note that quotes the customer
    const { id, cases, people } = await twoDetractors();
    const [email] = people as [string, string];
    const kase = cases.find((c) => c.contact.email === email) as FollowupCase;
    await request('PATCH', `/v1/followups/${kase.id}`, { body: { note: 'She said: "the courier threw it over the fence"' } });

    // WHEN the customer is erased
    expect((await api('DELETE /v1/contacts', { body: { email } })).status).toBe(200);

    // THEN the case shows no note, and no note of the case is left in the table
    const { items } = (await api('GET /v1/followups', { query: { campaignId: id } })).body;
    expect(items.find((c) => c.id === kase.id)?.notes).toEqual([]);
    expect(JSON.stringify(items)).not.toContain('courier');
    expect(await storedNotes(kase.id)).toEqual([]);
  });
});
