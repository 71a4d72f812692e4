import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '#functions/survey';
import { newInvitationId, signToken } from '#shared/core/tokens';
import { context, httpEvent } from '#test/fixtures/http-event';
import { keys } from '#shared/table/items';
import { forgetCampaigns } from '#shared/app/campaigns';

const SECRET = 'unit-test-token-secret-0123456789';
const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 'npsloop-test';
  process.env.TOKEN_SECRET = SECRET;
  // Each test stores its own campaign under one id; a container would read it once.
  forgetCampaigns();
});

const forged = `${newInvitationId()}.${'A'.repeat(22)}`;
const CAMPAIGN_ID = '01KB0000000000000000000000';

/** An invitation that was sent, with its campaign, and no response yet. */
const storedSurvey = () =>
  ddb.on(GetCommand).callsFake((input: { Key: { PK: string; SK: string } }) => {
    if (input.Key.SK === 'INV') {
      return { Item: { id: 'i', campaignId: CAMPAIGN_ID, channel: 'email', contact: {}, segments: {}, status: 'sent', createdAt: 'x', clickedAt: 'x' } };
    }
    if (input.Key.SK === 'CAMPAIGN') {
      return { Item: { id: CAMPAIGN_ID, name: 'n', brand: 'b', channel: 'email', locale: 'en', segments: [], throttleDays: 90, createdAt: 'x' } };
    }
    return {};
  });
const unknown = signToken(SECRET, newInvitationId(), 'survey');

describe('survey pages', () => {
  it('answers a forged and an unknown token with the same 404 page', async () => {
    ddb.on(GetCommand).resolves({});
    const a = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: forged } }), context);
    const b = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown } }), context);
    expect(a.statusCode).toBe(404);
    expect(b).toEqual(a);
    // A forged token is rejected by its signature, before any lookup.
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('answers a forged token with 404 JSON for programs', async () => {
    const res = await handler(
      httpEvent('POST /s/{token}', {
        pathParameters: { token: forged },
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: '{"score":5}',
      }),
      context,
    );
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(String(res.body))).toEqual({ error: { code: 'not_found', message: 'Survey not found' } });
  });

  /** A stored invitation sent at `sentAt`, and its campaign, for every GetCommand. */
  const stored = (sentAt: string, extra: Record<string, unknown> = {}) =>
    ddb.on(GetCommand).callsFake((input: { Key: { PK: string; SK: string } }) =>
      input.Key.SK === keys.invitation('i').SK
        ? { Item: { id: 'i', campaignId: CAMPAIGN_ID, channel: 'email', contact: {}, segments: {}, status: 'sent', createdAt: sentAt, sentAt, ...extra } }
        : input.Key.PK === keys.campaign(CAMPAIGN_ID).PK
          ? { Item: { id: CAMPAIGN_ID, name: 'n', brand: 'Acme', channel: 'email', locale: 'ru', segments: [], throttleDays: 90, createdAt: sentAt } }
          : {},
    );
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

  it('shows a survey sent 90 days ago as closed (410, in the campaign language) and records nothing', async () => {
    stored(daysAgo(90));
    const page = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown } }), context);
    const posted = await handler(
      httpEvent('POST /s/{token}', {
        pathParameters: { token: unknown },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'score=3&comment=late',
      }),
      context,
    );
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('Этот опрос завершён');
    expect(posted.statusCode).toBe(410);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('shows a survey sent 89 days ago', async () => {
    stored(daysAgo(89));
    const page = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown } }), context);
    expect(page.statusCode).toBe(200);
  });

  it('answers an erased invitation with the 404 of an unknown one, without reading its campaign', async () => {
    stored(daysAgo(1), { erasedAt: daysAgo(0) });
    const erased = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown } }), context);
    ddb.reset();
    ddb.on(GetCommand).resolves({});
    const missing = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown } }), context);
    expect(erased).toEqual(missing);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('opens the unsubscribe page only with an unsubscribe token', async () => {
    stored(daysAgo(1000));
    const id = newInvitationId();
    const bySurveyToken = await handler(httpEvent('GET /u/{token}', { pathParameters: { token: signToken(SECRET, id, 'survey') } }), context);
    const byUnsubscribeToken = await handler(
      httpEvent('GET /u/{token}', { pathParameters: { token: signToken(SECRET, id, 'unsubscribe') } }),
      context,
    );
    expect(bySurveyToken.statusCode).toBe(404);
    expect(byUnsubscribeToken.statusCode).toBe(200);
  });

  it('refuses a score of 11 with 400 and records nothing', async () => {
    storedSurvey();
    const res = await handler(
      httpEvent('POST /s/{token}', {
        pathParameters: { token: unknown },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'score=11&comment=hi',
      }),
      context,
    );
    expect(res.statusCode).toBe(400);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each([
    ['an empty form field', 'application/x-www-form-urlencoded', 'score=&comment=hi'],
    ['a blank form field', 'application/x-www-form-urlencoded', 'score=%20'],
    ['a hexadecimal form field', 'application/x-www-form-urlencoded', 'score=0x0A'],
    ['a JSON empty string', 'application/json', '{"score":""}'],
    ['a JSON null', 'application/json', '{"score":null}'],
    ['a JSON false', 'application/json', '{"score":false}'],
    ['a JSON empty list', 'application/json', '{"score":[]}'],
    ['a JSON tab', 'application/json', '{"score":"\\t"}'],
  ])('refuses %s as a score with 400 and records nothing', async (_, contentType, body) => {
    storedSurvey();
    const res = await handler(
      httpEvent('POST /s/{token}', { pathParameters: { token: unknown }, headers: { 'content-type': contentType }, body }),
      context,
    );
    expect(res.statusCode).toBe(400);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each(['', '%20', '0x0A', '1e1', '07', 'true'])('shows the page with nothing preselected for ?score=%s', async (score) => {
    storedSurvey();
    const res = await handler(
      httpEvent('GET /s/{token}', { pathParameters: { token: unknown }, query: { score: decodeURIComponent(score) } }),
      context,
    );
    expect(res.statusCode).toBe(200);
    expect(String(res.body)).not.toContain(' checked');
  });

  it('records an answer with one conditioned write that returns what it stored, and reads the campaign once per container', async () => {
    // GIVEN a survey, and DynamoDB answering the write with the response it stored
    storedSurvey();
    const stored = { ...keys.response('i'), invitationId: 'i', campaignId: CAMPAIGN_ID, score: 9, segments: {}, day: '2026-12-01', firstAnsweredAt: 'x', answeredAt: 'x', version: 2 };
    ddb.on(UpdateCommand).resolves({ Attributes: stored });
    const post = () =>
      handler(
        httpEvent('POST /s/{token}', { pathParameters: { token: unknown }, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{"score":9}' }),
        context,
      );
    // WHEN two answers are sent
    const [first, second] = [await post(), await post()];
    // THEN each is one UpdateItem of the response, refused once erasure has marked it; no transaction, no read-back
    expect(JSON.parse(String(first.body))).toEqual({ recorded: true, score: 9, version: 2 });
    expect(second.statusCode).toBe(200);
    const writes = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatchObject({ Key: keys.response('i'), ConditionExpression: 'attribute_not_exists(erasedAt)', ReturnValues: 'ALL_NEW' });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    const read = ddb.commandCalls(GetCommand).map((call) => call.args[0].input.Key?.SK);
    expect(read.filter((sk) => sk === 'RESPONSE')).toEqual([]);
    expect(read.filter((sk) => sk === 'CAMPAIGN')).toEqual(['CAMPAIGN']);
  });

  it('answers 404 when erasure marked the response between the page and the answer', async () => {
    storedSurvey();
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const res = await handler(
      httpEvent('POST /s/{token}', { pathParameters: { token: unknown }, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{"score":2}' }),
      context,
    );
    expect(res.statusCode).toBe(404);
  });

  it('preselects the score a link names', async () => {
    storedSurvey();
    const res = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown }, query: { score: '10' } }), context);
    expect(String(res.body)).toContain('value="10" required checked');
  });

  it('says a score from the e-mail is saved only on Send, and says nothing when the link had no score', async () => {
    storedSurvey();
    const fromLink = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown }, query: { score: '8' } }), context);
    const plain = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown } }), context);
    expect(String(fromLink.body)).toContain('You picked 8. Your answer is saved only when you press “Send my answer”.');
    expect(String(plain.body)).not.toContain('class="notice"');
  });

  it('answers an unknown link in the browser language when it is Russian', async () => {
    ddb.on(GetCommand).resolves({});
    const res = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown }, headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' } }), context);
    expect(res.statusCode).toBe(404);
    expect(String(res.body)).toContain('Ссылка на опрос недействительна или устарела.');
  });
});
