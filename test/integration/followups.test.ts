import { beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, request, uniqueEmail } from '#test/integration/client';

/** Managers work detractor cases: status, assignee and notes, and overdue cases escalate once. */
interface Case {
  id: string;
  status: string;
  assignee?: string;
  notes: { at: string; text: string }[];
  dueAt: string;
  escalatedAt?: string;
}
interface Alert {
  message: { type: string; followupId: string };
}

let escalateOverdue: typeof import('#shared/followups').escalateOverdue;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ escalateOverdue } = await import('#shared/followups'));
});

/** Two detractors in a new campaign, each with an open case and its first alert. */
const twoDetractors = async () => {
  const { id } = (await request<{ id: string }>('POST', '/v1/campaigns', { body: { name: 'Cases', brand: 'Acme', channel: 'email' } })).body;
  const people = [uniqueEmail('d1'), uniqueEmail('d2')];
  await request('POST', `/v1/campaigns/${id}/recipients`, { body: { recipients: people.map((email) => ({ email })) } });
  const tokens = await eventually(async () => {
    const { items } = (await request<{ items: { to: string[]; html: string }[] }>('GET', '/local/outbox/email')).body;
    const found = people.map((p) => /\/s\/([^?"]+)\?score=/.exec(items.find((m) => m.to.includes(p))?.html ?? '')?.[1]);
    return found.every(Boolean) ? (found as string[]) : undefined;
  });
  for (const token of tokens) await request('POST', `/s/${token}`, { body: { score: 1 }, auth: false });
  const cases = await eventually(async () => {
    const { items } = (await request<{ items: Case[] }>('GET', `/v1/followups?campaignId=${id}`)).body;
    return items.length === 2 ? items : undefined;
  });
  return { id, cases };
};

const alertsFor = async (caseId: string) =>
  (await request<{ items: Alert[] }>('GET', '/local/outbox/alerts')).body.items.filter((a) => a.message.followupId === caseId);

describe('follow-up cases', () => {
  it('are worked by managers, and an overdue open case is escalated exactly once', async () => {
    const { cases } = await twoDetractors();
    const [left, worked] = cases as [Case, Case];

    // WHEN a manager assigns one case, notes a call and marks it contacted
    const patched = await request<Case>('PATCH', `/v1/followups/${worked.id}`, {
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
    expect(alerts.map((a) => a.message.type)).toEqual(['detractor', 'overdue']);
    expect(await alertsFor(worked.id)).toHaveLength(1);
    const after = (await request<{ items: Case[] }>('GET', `/v1/followups?status=open`)).body.items.find((c) => c.id === left.id);
    expect(after?.escalatedAt).toBeDefined();
  });
});
