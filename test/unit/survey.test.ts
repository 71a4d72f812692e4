import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '#functions/survey';
import { newInvitationId, signToken } from '#shared/tokens';
import { context, httpEvent } from '#test/fixtures/http-event';

const SECRET = 'unit-test-token-secret-0123456789';
const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 'npsloop-test';
  process.env.TOKEN_SECRET = SECRET;
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
const unknown = signToken(SECRET, newInvitationId());

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

  it('preselects the score a link names', async () => {
    storedSurvey();
    const res = await handler(httpEvent('GET /s/{token}', { pathParameters: { token: unknown }, query: { score: '10' } }), context);
    expect(String(res.body)).toContain('value="10" required checked');
  });
});
