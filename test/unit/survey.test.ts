import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
    ddb.on(GetCommand).callsFake((input: { Key: { PK: string } }) =>
      input.Key.PK.startsWith('INV#')
        ? { Item: { id: 'i', campaignId: 'c1', channel: 'email', contact: {}, segments: {}, status: 'sent', createdAt: 'x' } }
        : { Item: { id: 'c1', name: 'n', brand: 'b', channel: 'email', locale: 'en', segments: [], throttleDays: 90, createdAt: 'x' } },
    );
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
});
