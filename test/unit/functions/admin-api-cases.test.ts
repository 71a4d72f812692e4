import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MessageRejected, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { context, httpEvent } from '#test/fixtures/http-event';
import { startIdentityProvider, type TestIdentityProvider } from '#test/fixtures/identity-provider';

/** The case routes as a signed-in manager calls them: who they are decides Reply-To and `mine`. */
const API_KEY = 'unit-test-key';
const CASE_ID = '01KB0000000000000000000001';
const CAMPAIGN_ID = '01KB0000000000000000000000';
const MANAGER = { email: 'maria@example.com', groups: ['manager'] };
const auth = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };

const ddb = mockClient(DynamoDBDocumentClient);
// Powertools idempotency records go through the plain client.
const raw = mockClient(DynamoDBClient);
const ses = mockClient(SESv2Client);

/** A tiny table: what transactions put, gets read back. */
let table: Map<string, Record<string, unknown>>;
const keyOf = (key: Record<string, unknown>) => `${String(key.PK)}|${String(key.SK)}`;

beforeEach(() => {
  ddb.reset();
  raw.reset();
  ses.reset();
  process.env.TABLE_NAME = 'npsloop-test';
  process.env.NPSLOOP_API_KEY = API_KEY;
  process.env.SENDER_EMAIL = 'surveys@example.com';
  table = new Map(
    [
      {
        PK: `FOLLOWUP#${CASE_ID}`,
        SK: 'FOLLOWUP',
        id: CASE_ID,
        campaignId: CAMPAIGN_ID,
        invitationId: 'inv-1',
        channel: 'email',
        score: 2,
        status: 'open',
        dueAt: '2026-12-03T10:00:00.000Z',
        contact: { email: 'dana@example.com', name: 'Dana' },
        segments: {},
        notes: [],
        createdAt: '2026-12-01T10:00:00.000Z',
      },
      {
        PK: 'INV#inv-1',
        SK: 'INV',
        id: 'inv-1',
        campaignId: CAMPAIGN_ID,
        channel: 'email',
        contact: { email: 'dana@example.com', name: 'Dana' },
        segments: {},
        status: 'sent',
        createdAt: '2026-12-01T09:00:00.000Z',
        contactKey: 'hash',
      },
      {
        PK: `CAMPAIGN#${CAMPAIGN_ID}`,
        SK: 'CAMPAIGN',
        id: CAMPAIGN_ID,
        name: 'Checkout',
        brand: 'Acme',
        channel: 'email',
        locale: 'en',
        segments: [],
        throttleDays: 90,
        createdAt: '2026-12-01T08:00:00.000Z',
      },
    ].map((item) => [keyOf(item), item]),
  );
  ddb.on(GetCommand).callsFake((input: { Key: Record<string, unknown> }) => ({ Item: table.get(keyOf(input.Key)) }));
  ddb.on(TransactWriteCommand).callsFake((input: { TransactItems: { Put?: { Item: Record<string, unknown> } }[] }) => {
    for (const { Put } of input.TransactItems) if (Put) table.set(keyOf(Put.Item), Put.Item);
    return {};
  });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
  raw.resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
});

// The manager signs in for real: an ID token the admin API verifies against the provider's JWKS.
let provider: TestIdentityProvider;
let managerToken: string;
let handler: (typeof import('#functions/admin-api'))['handler'];
beforeAll(async () => {
  provider = await startIdentityProvider();
  process.env.OIDC_ISSUER = provider.issuer;
  process.env.OIDC_CLIENT_ID = provider.clientId;
  managerToken = await provider.idToken(MANAGER);
  // The handler reads its identity provider once, as a Lambda container does: import it after.
  ({ handler } = await import('#functions/admin-api'));
});
afterAll(() => provider.stop());

const asManager = (routeKey: string, options: NonNullable<Parameters<typeof httpEvent>[1]>) =>
  httpEvent(routeKey, { ...options, headers: { ...options.headers, authorization: `Bearer ${managerToken}` } });

describe('a reply by a signed-in manager', () => {
  it('goes out with Reply-To the manager, and the timeline names them', async () => {
    // WHEN a manager replies by e-mail
    const event = asManager('POST /v1/followups/{id}/replies', {
      pathParameters: { id: CASE_ID },
      headers: { ...auth, 'idempotency-key': 'k-1' },
      body: JSON.stringify({ text: 'Sorry, Dana.' }),
    });
    const result = await handler(event, context);

    // THEN one mail goes to the customer, answering to the manager
    expect(result.statusCode).toBe(200);
    const sent = ses.commandCalls(SendEmailCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.args[0].input).toMatchObject({ Destination: { ToAddresses: ['dana@example.com'] }, ReplyToAddresses: ['maria@example.com'] });
    expect(JSON.parse(String(result.body))).toMatchObject({ reply: { type: 'reply', by: 'maria@example.com', channel: 'email', delivery: 'sent' } });
  });

  it('goes out without a Reply-To when an API key replies', async () => {
    const result = await handler(
      httpEvent('POST /v1/followups/{id}/replies', { pathParameters: { id: CASE_ID }, headers: { ...auth, 'idempotency-key': 'k-2' }, body: JSON.stringify({ text: 'Hi' }) }),
      context,
    );
    expect(result.statusCode).toBe(200);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.ReplyToAddresses).toBeUndefined();
  });
});

describe('a reply the mail service refuses for good', () => {
  it('is recorded as failed, and says so', async () => {
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }));

    const result = await handler(
      httpEvent('POST /v1/followups/{id}/replies', { pathParameters: { id: CASE_ID }, headers: { ...auth, 'idempotency-key': 'k-3' }, body: JSON.stringify({ text: 'Hi' }) }),
      context,
    );

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toMatchObject({ reply: { type: 'reply', delivery: 'failed' } });
    const marked = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.ExpressionAttributeValues ?? {});
    expect(marked).toContainEqual({ ':delivery': 'failed', ':reason': 'MessageRejected' });
  });
});

describe('the inbox view mine', () => {
  it("lists the cases not closed that are assigned to the signed-in manager's address", async () => {
    const result = await handler(asManager('GET /v1/followups', { headers: auth, query: { view: 'mine' } }), context);

    expect(result.statusCode).toBe(200);
    const query = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({ IndexName: 'GSI3', FilterExpression: 'assignee = :me', ScanIndexForward: true });
    expect(query?.ExpressionAttributeValues).toMatchObject({ ':me': 'maria@example.com', ':pk': 'FOLLOWUPS#ACTIVE' });
  });

  it('is a 400 for an API key, which is nobody, and reads nothing', async () => {
    const result = await handler(httpEvent('GET /v1/followups', { headers: auth, query: { view: 'mine' } }), context);
    expect(result.statusCode).toBe(400);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
