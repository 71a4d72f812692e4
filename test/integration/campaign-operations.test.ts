import { beforeAll, describe, expect, inject, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignCounts } from '#shared/contract/campaigns';
import { api, eventually, outbox, request, uniqueEmail } from '#test/integration/client';

/**
 * Campaign operations on the local runtime, as marketing meets them: skip reasons, idempotent
 * imports, scanner-safe unsubscribe, throttling, bounces, scheduling, reminders, export, erasure.
 */
interface OutboxEmail {
  readonly to: string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

let processDue: typeof import('#shared/app/sending').processDue;
let releaseDue: typeof import('#shared/app/holding').releaseDue;
let DUE_SHARDS: number;
let dynamo: typeof import('#shared/aws/clients').dynamo;
let contactKey: typeof import('#shared/core/contacts').contactKey;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ processDue } = await import('#shared/app/sending'));
  ({ releaseDue, DUE_SHARDS } = await import('#shared/app/holding'));
  ({ dynamo } = await import('#shared/aws/clients'));
  ({ contactKey } = await import('#shared/core/contacts'));
});

/** The e-mails sent to an address, newest first. */
const mailTo = (address: string) => outbox<OutboxEmail>({ box: 'email', to: address });

const tokenIn = (html: string) => /\/s\/([^?"]+)\?score=/.exec(html)?.[1] ?? '';

const newCampaign = async (extra: Record<string, unknown> = {}) =>
  (await api('POST /v1/campaigns', { body: { name: 'Ops', brand: 'Acme', channel: 'email', ...extra } })).body.id;

const add = (id: string, recipients: unknown[], headers: Record<string, string> = {}) =>
  api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients }, headers });

const counts = async (id: string) => (await api('GET /v1/campaigns/{id}', { params: { id } })).body.counts;

const addsUp = (c: CampaignCounts) => c.scheduled + c.queued + c.sent + c.failed + c.suppressed + c.withdrawn === c.recipients;

describe('campaign operations', () => {
  it('skips with reasons, honors Idempotency-Key, and unsubscribes only on a POST', async () => {
    const [x, y] = [uniqueEmail('x'), uniqueEmail('y')];
    const id = await newCampaign();
    // GIVEN x, y, an invalid address and X in upper case
    const body = [{ email: x }, { email: y }, { email: 'not-an-email' }, { email: x.toUpperCase() }];
    const first = await add(id, body, { 'idempotency-key': 'import-1' });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 2, skipped: [{ index: 2, reason: 'invalid_email' }, { index: 3, reason: 'duplicate' }] });

    // WHEN the same request is repeated with the same key THEN the same answer, marked as a replay, and no second invitation
    const again = await add(id, body, { 'idempotency-key': 'import-1' });
    expect(again).toMatchObject({ status: 202, body: { ...first.body, replayed: true } });
    const conflicting = await request('POST', `/v1/campaigns/${id}/recipients`, {
      body: { recipients: [{ email: uniqueEmail('z') }] },
      headers: { 'idempotency-key': 'import-1' },
    });
    expect(conflicting.status).toBe(409);
    const [xMail] = await eventually(async () => ((await mailTo(x)).length > 0 ? mailTo(x) : undefined), { what: "x's e-mail" });
    const [yMail] = await eventually(async () => ((await mailTo(y)).length > 0 ? mailTo(y) : undefined), { what: "y's e-mail" });
    const settled = await eventually(async () => {
      const c = await counts(id);
      return c.sent === 2 ? c : undefined;
    });
    expect(settled).toMatchObject({ recipients: 2, sent: 2, skipped: { invalid_email: 1, duplicate: 1 } });
    expect(addsUp(settled)).toBe(true);
    expect(await mailTo(x)).toHaveLength(1);

    // WHEN a scanner GETs y's unsubscribe link THEN y is still surveyable
    const unsubscribe = /\/u\/[^\s"<>]+/.exec(yMail?.text ?? '')?.[0] ?? '';
    expect(yMail?.html).toContain(unsubscribe);
    const page = await request('GET', unsubscribe, { auth: false });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post"');
    expect((await add(await newCampaign({ throttleDays: 0 }), [{ email: y }])).body.accepted).toBe(1);

    // WHEN y presses the button (RFC 8058 one-click POST) THEN a new campaign skips y as opted out
    const post = await request('POST', unsubscribe, {
      auth: false,
      raw: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(200);
    expect((await add(await newCampaign({ throttleDays: 0 }), [{ email: y }])).body.skipped).toEqual([{ index: 0, reason: 'opted_out' }]);

    // AND x, surveyed minutes ago, is throttled by a campaign with default settings
    expect((await add(await newCampaign(), [{ email: x }])).body.skipped).toEqual([{ index: 0, reason: 'throttled' }]);
    expect(xMail).toBeDefined();
  });

  it('holds a campaign with sendAt an hour ahead as a held item, sending nothing', async () => {
    const email = uniqueEmail('later');
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const id = await newCampaign({ sendAt });
    expect((await add(id, [{ email }])).body.accepted).toBe(1);
    // THEN nothing is sent now: the invitation is scheduled, held in its minute bucket
    expect(await counts(id)).toMatchObject({ recipients: 1, scheduled: 1, queued: 0, sent: 0 });
    const minute = sendAt.slice(0, 16);
    const held = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        dynamo.send(new QueryCommand({ TableName: process.env.TABLE_NAME, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `DUE#${minute}#${shard}` } })),
      ),
    );
    const [invitation] = (
      await dynamo.send(
        new QueryCommand({
          TableName: process.env.TABLE_NAME,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': `CONTACT#${contactKey('email', email)}#INV` },
        }),
      )
    ).Items ?? [];
    const messages = held.flatMap((out) => out.Items ?? []).flatMap((i) => i.messages as { kind: string; invitationId: string }[]);
    expect(messages.filter((m) => m.invitationId === invitation?.id)).toEqual([
      { invitationId: invitation?.id, kind: 'send', dueAt: sendAt },
    ]);
    // AND the releaser, which looks ten minutes ahead, leaves it alone
    await releaseDue();
    expect(await counts(id)).toMatchObject({ scheduled: 1, sent: 0 });
    expect(await mailTo(email)).toHaveLength(0);
  });

  it('sends a campaign with sendAt a few seconds ahead when it is due, not before', async () => {
    const email = uniqueEmail('soon');
    const id = await newCampaign({ sendAt: new Date(Date.now() + 4_000).toISOString() });
    expect((await add(id, [{ email }])).body.accepted).toBe(1);
    expect(await counts(id)).toMatchObject({ queued: 1, sent: 0 });
    expect(await mailTo(email)).toHaveLength(0);
    await eventually(async () => ((await counts(id)).sent === 1 ? true : undefined), { timeoutMs: 20_000, what: 'the delayed send' });
    expect(await mailTo(email)).toHaveLength(1);
    expect(addsUp(await counts(id))).toBe(true);
  });

  it('reminds a non-respondent once, and never someone who answered', async () => {
    const [quiet, answered] = [uniqueEmail('quiet'), uniqueEmail('answered')];
    const id = await newCampaign({ reminderAfterHours: 24 });
    await add(id, [{ email: quiet }, { email: answered }]);
    const mails = await eventually(async () => {
      const [a, b] = await Promise.all([mailTo(quiet), mailTo(answered)]);
      return a[0] && b[0] ? [a[0], b[0]] : undefined;
    });
    await request('POST', `/s/${tokenIn(mails[1]?.html ?? '')}`, { body: { score: 9 }, auth: false });
    // WHEN the reminders fall due (delivered twice, as SQS may)
    const due = new Date(Date.now() - 1000).toISOString();
    const ids = mails.map((m) => tokenIn(m?.html ?? '').split('.')[0] ?? '');
    const outcomes = [];
    for (const invitationId of [...ids, ...ids]) outcomes.push(await processDue({ invitationId, kind: 'reminder', dueAt: due }));
    // THEN one reminder, to the one who did not answer
    expect(outcomes).toEqual(['reminded', 'no-reminder', 'no-reminder', 'no-reminder']);
    const quietMail = await mailTo(quiet);
    expect(quietMail).toHaveLength(2);
    expect(quietMail[0]?.subject).toMatch(/^Reminder: /); // newest first
    expect(await mailTo(answered)).toHaveLength(1);
    expect((await counts(id)).reminded).toBe(1);
  });

  it('suppresses an address after a hard bounce', async () => {
    const bouncer = uniqueEmail('bounce');
    const soft = uniqueEmail('soft');
    expect((await request('POST', '/local/ses/events', { body: { type: 'Bounce', email: bouncer, bounceType: 'Permanent' } })).status).toBe(202);
    expect((await request('POST', '/local/ses/events', { body: { type: 'Bounce', email: soft, bounceType: 'Transient' } })).status).toBe(202);
    const id = await newCampaign();
    await eventually(async () => {
      const res = await add(await newCampaign({ throttleDays: 0 }), [{ email: bouncer }]);
      return res.body.skipped[0]?.reason === 'suppressed' ? true : undefined;
    }, { what: 'the bounce to suppress the address' });
    // A transient bounce (mailbox full) suppresses nobody.
    expect((await add(id, [{ email: soft }])).body.accepted).toBe(1);
  });

  it('lists and exports responses, and erases a contact everywhere but the score', async () => {
    const [ann, bob] = [uniqueEmail('ann'), uniqueEmail('bob')];
    const id = await newCampaign({ segments: ['plan'] });
    await add(id, [
      { email: ann, name: 'Ann Example', attributes: { plan: 'pro' } },
      { email: bob, name: 'Bob "Quote", Jr', attributes: { plan: 'free' } },
    ]);
    const [annMail, bobMail] = await eventually(async () => {
      const [a, b] = await Promise.all([mailTo(ann), mailTo(bob)]);
      return a[0] && b[0] ? [a[0], b[0]] : undefined;
    });
    await request('POST', `/s/${tokenIn(annMail?.html ?? '')}`, { body: { score: 2, comment: 'Ann says: too slow' }, auth: false });
    await request('POST', `/s/${tokenIn(bobMail?.html ?? '')}`, { body: { score: 10, comment: '=cmd|calc' }, auth: false });
    await eventually(async () => ((await api('GET /v1/campaigns/{id}/score', { params: { id } })).body.responses === 2 ? true : undefined));
    await eventually(async () => ((await api('GET /v1/followups', { query: { campaignId: id } })).body.items.length === 1 ? true : undefined));

    // THEN responses list with their contacts, page by page
    const page1 = await api('GET /v1/responses', { query: { campaignId: id, limit: 1 } });
    expect(page1.body.items).toHaveLength(1);
    const page2 = await api('GET /v1/responses', { query: { campaignId: id, limit: 1, cursor: page1.body.nextCursor } });
    expect([page1.body.items[0]?.contact?.email, page2.body.items[0]?.contact?.email].sort()).toEqual([ann, bob].sort());

    // AND export as quoted UTF-8 CSV, formulas neutralized
    const csv = await request('GET', `/v1/responses?campaignId=${id}&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[0]).toBe('"invitationId","answeredAt","firstAnsweredAt","score","category","comment","email","name","phone","externalId","campaignId","campaign","themes","plan"');
    expect(csv.text).toContain('"Bob ""Quote"", Jr"');
    expect(csv.text).toContain(`"'=cmd|calc"`);
    expect(csv.text).toContain('"Ann says: too slow"');

    // WHEN Ann is erased
    const erased = await api('DELETE /v1/contacts', { body: { email: ann.toUpperCase() } });
    expect(erased.body).toEqual({ erased: { invitations: 1, responses: 1, followups: 1 }, optedOut: true });

    // THEN no response, case or export shows her address, name or comment
    const after = await request('GET', `/v1/responses?campaignId=${id}&format=csv`);
    const cases = await request('GET', `/v1/followups?campaignId=${id}`);
    const list = await request('GET', `/v1/responses?campaignId=${id}`);
    for (const text of [after.text, cases.text, list.text]) {
      expect(text).not.toContain(ann);
      expect(text).not.toContain('Ann Example');
      expect(text).not.toContain('too slow');
    }
    expect(after.text).toContain(bob);
    // AND the score still counts her answer, and she is never surveyed again
    const score = await api('GET /v1/campaigns/{id}/score', { params: { id } });
    expect(score.body).toMatchObject({ responses: 2, detractors: 1 });
    expect((await add(await newCampaign({ throttleDays: 0 }), [{ email: ann }])).body.skipped).toEqual([{ index: 0, reason: 'opted_out' }]);
  });

  it('erases a contact who never answered without a trace any score, list, export or count could show', async () => {
    // GIVEN Cat, who never answers, and Dan, who does
    const [cat, dan] = [uniqueEmail('cat'), uniqueEmail('dan')];
    const id = await newCampaign({ segments: ['plan'] });
    await add(id, [
      { email: cat, attributes: { plan: 'pro' } },
      { email: dan, attributes: { plan: 'pro' } },
    ]);
    const [catMail, danMail] = await eventually(async () => {
      const [c, d] = await Promise.all([mailTo(cat), mailTo(dan)]);
      return c[0] && d[0] ? [c[0], d[0]] : undefined;
    });

    // WHEN Cat is erased (leaving only a tombstone at her response's key), then Dan answers
    const erased = await api('DELETE /v1/contacts', { body: { email: cat } });
    expect(erased.body).toEqual({ erased: { invitations: 1, responses: 0, followups: 0 }, optedOut: true });
    expect((await request('POST', `/s/${tokenIn(catMail?.html ?? '')}`, { body: { score: 1 }, auth: false })).status).toBe(404);
    await request('POST', `/s/${tokenIn(danMail?.html ?? '')}`, { body: { score: 9 }, auth: false });

    // THEN only Dan's answer is counted, listed and exported
    const score = await eventually(async () => {
      const { body } = await api('GET /v1/campaigns/{id}/score', { params: { id } });
      return body.responses === 1 ? body : undefined;
    });
    expect(score).toMatchObject({ responses: 1, promoters: 1, detractors: 0, segments: { plan: { pro: { responses: 1 } } } });
    expect((await api('GET /v1/responses', { query: { campaignId: id } })).body.items.map((r) => r.contact?.email)).toEqual([dan]);
    expect((await request('GET', `/v1/responses?campaignId=${id}&format=csv`)).text.trim().split('\r\n')).toHaveLength(2);
    expect(await counts(id)).toMatchObject({ responded: 1 });
  });

  it('holds 1,000 invitations for later without sending any', async () => {
    const id = await newCampaign({ sendAt: new Date(Date.now() + 2 * 3_600_000).toISOString() });
    const recipients = Array.from({ length: 1000 }, (_, i) => ({ email: `held${i}.${id.toLowerCase()}@example.com` }));
    expect((await add(id, recipients)).body.accepted).toBe(1000);
    expect(await counts(id)).toMatchObject({ recipients: 1000, scheduled: 1000, sent: 0 });
  });
});
