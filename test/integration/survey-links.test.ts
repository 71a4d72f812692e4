import { beforeAll, describe, expect, inject, it } from 'vitest';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { api, eventually, outbox, request, uniqueEmail } from '#test/integration/client';

/**
 * What the links in a survey e-mail can do, on the local runtime: each link serves one purpose,
 * only its canonical spelling works, survey links close after the expiry while unsubscribe links
 * keep working, and nothing an erased contact's links send is stored, even when the erasure lands
 * between a page's read and its write.
 */
interface OutboxEmail {
  to: string[];
  html: string;
  text: string;
  headers: { name: string; value: string }[];
}

let dynamo: typeof import('#shared/aws/clients').dynamo;
let keys: typeof import('#shared/table/items').keys;
let openSurvey: typeof import('#shared/app/responses').openSurvey;
let recordAnswer: typeof import('#shared/app/responses').recordAnswer;
let syncFollowup: typeof import('#shared/app/followups').syncFollowup;
let once: typeof import('#shared/table/lease').once;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ dynamo } = await import('#shared/aws/clients'));
  ({ keys } = await import('#shared/table/items'));
  ({ openSurvey, recordAnswer } = await import('#shared/app/responses'));
  ({ syncFollowup } = await import('#shared/app/followups'));
  ({ once } = await import('#shared/table/lease'));
  dynamo.middlewareStack.add(
    (next, ctx) => async (args) => {
      const result = await next(args);
      await afterCall?.(String(ctx.commandName), args.input as { Key?: Record<string, unknown> });
      return result;
    },
    { step: 'initialize', name: 'erasureRace' },
  );
});

/** Runs after each DynamoDB call of this process: where a test lets an erasure land mid-write. */
let afterCall: ((command: string, input: { Key?: Record<string, unknown> }) => Promise<void>) | undefined;

const table = () => String(process.env.TABLE_NAME);

/** A campaign with one e-mail recipient, and the two links of the e-mail that reached them. */
const invited = async (extra: Record<string, unknown> = {}) => {
  const email = uniqueEmail('link');
  const { id } = (
    await api('POST /v1/campaigns', { body: { name: 'Links', brand: 'Acme', channel: 'email', ...extra } })
  ).body;
  await api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients: [{ email, name: 'Erin Example' }] } });
  const mail = await eventually(
    async () => (await outbox<OutboxEmail>({ box: 'email', to: email }))[0],
    { what: 'the invitation e-mail' },
  );
  const surveyToken = /\/s\/([^?"]+)\?score=/.exec(mail.html)?.[1] ?? '';
  const listUnsubscribe = mail.headers.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
  const unsubscribeToken = /\/u\/([^>]+)>$/.exec(listUnsubscribe)?.[1] ?? '';
  return { campaignId: id, email, mail, surveyToken, unsubscribeToken };
};

const answer = (token: string, body: Record<string, unknown>) =>
  request('POST', `/s/${token}`, { body, auth: false, headers: { accept: 'application/json' } });

const invitationIdOf = (token: string) => token.split('.')[0] ?? '';

const storedResponse = async (invitationId: string) =>
  (await dynamo.send(new GetCommand({ TableName: table(), Key: keys.response(invitationId), ConsistentRead: true }))).Item;

const erase = (email: string) => request('DELETE', '/v1/contacts', { body: { email } });

const forged = `${'A'.repeat(22)}.${'B'.repeat(22)}`;

describe('each link in the e-mail serves one purpose', () => {
  it('the List-Unsubscribe link opens the unsubscribe page, never the survey', async () => {
    const { mail, surveyToken, unsubscribeToken } = await invited();
    expect(unsubscribeToken).not.toBe('');
    expect(unsubscribeToken).not.toBe(surveyToken);
    expect(mail.text).toContain(`/u/${unsubscribeToken}`);
    expect(mail.html).toContain(`/u/${unsubscribeToken}`);

    expect((await request('GET', `/u/${unsubscribeToken}`, { auth: false })).status).toBe(200);
    expect((await request('GET', `/s/${unsubscribeToken}`, { auth: false })).status).toBe(404);
    expect((await answer(unsubscribeToken, { score: 0, comment: 'written by a mailbox provider' })).status).toBe(404);
    expect(await storedResponse(invitationIdOf(surveyToken))).toBeUndefined();
  });

  it('the survey link does not unsubscribe', async () => {
    const { surveyToken } = await invited();
    expect((await request('GET', `/u/${surveyToken}`, { auth: false })).status).toBe(404);
    expect((await request('POST', `/u/${surveyToken}`, { auth: false })).status).toBe(404);
  });

  it('only the canonical spelling of a link works', async () => {
    const { surveyToken } = await invited();
    const last = surveyToken.at(-1) ?? '';
    // The mac's last character carries 2 bits; these 3 differ from it only in the 4 ignored ones.
    const index = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(last);
    const siblings = [1, 2, 3].map((low) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[(index & ~15) | ((index + low) & 15)]);
    for (const sibling of siblings) {
      expect((await request('GET', `/s/${surveyToken.slice(0, -1)}${sibling}`, { auth: false })).status).toBe(404);
    }
    expect((await request('GET', `/s/${surveyToken}`, { auth: false })).status).toBe(200);
  });
});

describe('survey links close after the expiry', () => {
  /** Moves the invitation's send time back, as if it went out `days` ago (once the sender has settled it, so its own sentAt cannot land after). */
  const sentDaysAgo = async (invitationId: string, days: number) => {
    await eventually(
      async () => {
        const stored = await dynamo.send(new GetCommand({ TableName: table(), Key: keys.invitation(invitationId), ConsistentRead: true }));
        return stored.Item?.status === 'sent' ? true : undefined;
      },
      { what: 'the send settled' },
    );
    await dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET sentAt = :at',
        ExpressionAttributeValues: { ':at': new Date(Date.now() - days * 86_400_000).toISOString() },
      }),
    );
  };

  it('an old survey link shows a friendly closed page with 410 and records nothing', async () => {
    const { surveyToken } = await invited();
    await sentDaysAgo(invitationIdOf(surveyToken), 91);

    const page = await request('GET', `/s/${surveyToken}?score=3`, { auth: false });
    expect(page.status).toBe(410);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('This survey has closed');
    expect(page.text).not.toContain('<form');

    const posted = await answer(surveyToken, { score: 2, comment: 'too late' });
    expect(posted).toMatchObject({ status: 410, body: { error: { code: 'gone' } } });
    const form = await request('POST', `/s/${surveyToken}`, {
      raw: 'score=2&comment=too+late',
      auth: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(410);
    expect(form.text).toContain('This survey has closed');
    expect(await storedResponse(invitationIdOf(surveyToken))).toBeUndefined();
  });

  it('the closed page speaks the campaign language', async () => {
    const { surveyToken } = await invited({ locale: 'ru' });
    await sentDaysAgo(invitationIdOf(surveyToken), 91);
    const page = await request('GET', `/s/${surveyToken}`, { auth: false });
    expect(page.status).toBe(410);
    expect(page.text).toContain('lang="ru"');
    expect(page.text).toContain('Этот опрос завершён');
  });

  it('a survey link still works the day before it closes', async () => {
    const { surveyToken } = await invited();
    await sentDaysAgo(invitationIdOf(surveyToken), 89);
    expect((await request('GET', `/s/${surveyToken}`, { auth: false })).status).toBe(200);
  });

  it('the unsubscribe link keeps working long after the survey closed', async () => {
    const { email, surveyToken, unsubscribeToken } = await invited();
    await sentDaysAgo(invitationIdOf(surveyToken), 3 * 365);
    expect((await request('GET', `/u/${unsubscribeToken}`, { auth: false })).status).toBe(200);
    const post = await request('POST', `/u/${unsubscribeToken}`, {
      auth: false,
      raw: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(200);
    const { id } = (await api('POST /v1/campaigns', { body: { name: 'Again', brand: 'Acme', channel: 'email', throttleDays: 0 } })).body;
    const again = await api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients: [{ email }] } });
    expect(again.body.skipped).toEqual([{ index: 0, reason: 'opted_out' }]);
  });
});

describe("an erased contact's links", () => {
  it('answer 404 on /s and /u exactly as a forged token does, and record nothing', async () => {
    const { email, surveyToken, unsubscribeToken } = await invited();
    expect((await erase(email)).status).toBe(200);

    const forgedPage = await request('GET', `/s/${forged}`, { auth: false });
    const page = await request('GET', `/s/${surveyToken}?score=4`, { auth: false });
    expect(page.status).toBe(404);
    expect(page.text).toBe(forgedPage.text);
    const forgedAnswer = await answer(forged, { score: 1, comment: 'still here' });
    const posted = await answer(surveyToken, { score: 1, comment: 'still here' });
    expect(posted).toEqual({ ...forgedAnswer, headers: posted.headers });
    expect((await request('GET', `/u/${unsubscribeToken}`, { auth: false })).status).toBe(404);
    expect((await request('POST', `/u/${unsubscribeToken}`, { auth: false })).status).toBe(404);
    // Only erasure's tombstone is at the response's key: no score, no comment.
    expect(await storedResponse(invitationIdOf(surveyToken))).toEqual({ ...keys.response(invitationIdOf(surveyToken)), erasedAt: expect.any(String) });
  });

  it('store no first answer from a page opened before the erasure', async () => {
    // GIVEN a page opened (survey read) before the contact is erased
    const { email, surveyToken } = await invited();
    const stale = await openSurvey(surveyToken, 'survey');
    await erase(email);
    // WHEN its answer is written after the erasure THEN DynamoDB refuses it: the response's key holds only erasure's tombstone
    await expect(recordAnswer(stale, { score: 2, comment: 'Call me on 555 0100' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await storedResponse(stale.invitation.id)).toEqual({ ...keys.response(stale.invitation.id), erasedAt: expect.any(String) });
  });

  it('store no edit from a page opened before the erasure', async () => {
    const { email, surveyToken } = await invited();
    expect((await answer(surveyToken, { score: 9 })).status).toBe(200);
    const stale = await openSurvey(surveyToken, 'survey');
    await erase(email);
    await expect(recordAnswer(stale, { score: 9, comment: 'Erin from accounts' })).rejects.toMatchObject({ code: 'not_found' });
    const stored = await storedResponse(stale.invitation.id);
    expect(stored).toMatchObject({ score: 9, erasedAt: expect.any(String) });
    expect(stored?.comment).toBeUndefined();
  });

  it('open no case with the contact when the erasure lands between reading the invitation and creating the case', async () => {
    // GIVEN a detractor's answer whose case is not open yet
    const { campaignId, email, surveyToken } = await invited();
    const survey = await openSurvey(surveyToken, 'survey');
    await recordAnswer(survey, { score: 2, comment: 'Erin says: the parcel was lost' });
    const invitationKey = keys.invitation(survey.invitation.id);

    // WHEN a follow-up sync reads the invitation's contact, then the contact is erased, then the sync creates the case
    afterCall = async (command, input) => {
      if (command !== 'GetItemCommand' || input.Key?.PK !== invitationKey.PK || input.Key.SK !== invitationKey.SK) return;
      afterCall = undefined;
      expect((await erase(email)).status).toBe(200);
    };
    try {
      // THEN DynamoDB refuses the case (the pipeline's own sync, whenever it runs, is refused or erased too)
      expect(await syncFollowup(survey.invitation.id)).toBe('none');
    } finally {
      afterCall = undefined;
    }
    const { text } = await api('GET /v1/followups', { query: { campaignId } });
    expect(text).not.toContain(email);
    expect(text).not.toContain('parcel');
  });

  it('leave no comment on the case when the erasure lands between reading the response and updating the case', async () => {
    // GIVEN a detractor whose comment is on their follow-up case
    const { campaignId, email, surveyToken } = await invited();
    expect((await answer(surveyToken, { score: 2, comment: 'Erin says: the courier was rude' })).status).toBe(200);
    const [opened] = await eventually(async () => {
      const { items } = (await api('GET /v1/followups', { query: { campaignId } })).body;
      return items[0]?.comment ? items : undefined;
    }, { what: 'the case with the comment' });
    const responseKey = keys.response(invitationIdOf(surveyToken));

    // WHEN a follow-up sync reads the response, then the contact is erased, then the sync writes
    afterCall = async (command, input) => {
      if (command !== 'GetItemCommand' || input.Key?.PK !== responseKey.PK || input.Key.SK !== responseKey.SK) return;
      afterCall = undefined;
      expect((await erase(email)).status).toBe(200);
    };
    try {
      await syncFollowup(opened?.invitationId ?? '');
    } finally {
      afterCall = undefined;
    }

    // THEN the case keeps neither the comment nor the contact
    const { items } = (await api('GET /v1/followups', { query: { campaignId } })).body;
    expect(items).toHaveLength(1);
    expect(items[0]?.comment).toBeUndefined();
    expect(items[0]?.contact).toEqual({});
  });

  it('send no alert for a case erased before its alert was claimed', async () => {
    // GIVEN a case that erasure marked before anyone claimed its alert
    const key = keys.followup(`ERASED${Date.now()}`);
    await dynamo.send(new PutCommand({ TableName: table(), Item: { ...key, erasedAt: new Date().toISOString() } }));
    const lease = { key, doneAttr: 'alertedAt', claimAttr: 'alertingAt', leaseMs: 60_000, what: 'the alert', cancelledBy: 'erasedAt' };
    let published = 0;
    // WHEN the alert is attempted, and attempted again as a redelivery would
    const first = await once(lease, async () => void (published += 1));
    const again = await once(lease, async () => void (published += 1));
    // THEN nothing is published, nothing is claimed, and the message is not left to retry forever
    expect([first, again, published]).toEqual([false, false, 0]);
    const item = (await dynamo.send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }))).Item;
    expect(item?.alertingAt).toBeUndefined();
  });
});
