import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '#functions/admin-api';
import { context, httpEvent } from '#test/fixtures/http-event';

const API_KEY = 'unit-test-key';
const CAMPAIGN_ID = '01KB0000000000000000000000';
const ddb = mockClient(DynamoDBDocumentClient);
const auth = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 'npsloop-test';
  process.env.NPSLOOP_API_KEY = API_KEY;
});

const call = async (...args: Parameters<typeof httpEvent>) => {
  const result = await handler(httpEvent(...args), context);
  return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
};

describe('admin API', () => {
  it('answers /health without a key', async () => {
    expect(await call('GET /health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it.each([
    ['no header', {}],
    ['a wrong key', { authorization: 'Bearer nope' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['another scheme', { authorization: `Basic ${API_KEY}` }],
  ])('refuses %s with 401 and writes nothing', async (_, headers) => {
    const res = await call('POST /v1/campaigns', { headers, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/sign in.*key|key.*sign in/i) as unknown } });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers malformed JSON with 400 and writes nothing', async () => {
    const res = await call('POST /v1/campaigns', { headers: auth, body: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'bad_request' } });
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    ['a form post (curl -d without a content-type)', 'application/x-www-form-urlencoded'],
    ['plain text', 'text/plain'],
  ])('answers %s with 415 saying to send JSON, and writes nothing', async (_, type) => {
    const body = JSON.stringify({ name: 'Checkout', brand: 'Acme', channel: 'email' });
    const res = await call('POST /v1/campaigns', { headers: { ...auth, 'content-type': type }, body });
    expect(res).toEqual({ status: 415, body: { error: { code: 'unsupported_media_type', message: 'Send JSON (content-type: application/json)' } } });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('names each invalid field of a campaign', async () => {
    const res = await call('POST /v1/campaigns', { headers: auth, body: JSON.stringify({ name: '', channel: 'fax', extra: 1 }) });
    expect(res.status).toBe(400);
    const message = (res.body.error as { message: string }).message;
    expect(message).toMatch(/name/);
    expect(message).toMatch(/brand/);
    expect(message).toMatch(/channel/);
    expect(message).toMatch(/extra/);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('creates a campaign and its counters in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const res = await call('POST /v1/campaigns', { headers: auth, body: JSON.stringify({ name: 'Q4', brand: 'Acme', channel: 'email' }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Q4', brand: 'Acme', channel: 'email', locale: 'en', throttleDays: 90, segments: [] });
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toHaveLength(2);
  });

  it('answers 404 for an unknown campaign', async () => {
    ddb.on(GetCommand).resolves({});
    const res = await call('GET /v1/campaigns/{id}', { pathParameters: { id: CAMPAIGN_ID }, headers: auth });
    expect(res).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'Campaign not found' } } });
  });

  it('rejects more than 1000 recipients in one call with 400', async () => {
    ddb.on(GetCommand).resolves({
      Item: { id: CAMPAIGN_ID, name: 'n', brand: 'b', channel: 'email', locale: 'en', segments: [], throttleDays: 90, createdAt: 'x' },
    });
    const recipients = Array.from({ length: 1001 }, (_, i) => ({ email: `u${i}@example.com` }));
    const res = await call('POST /v1/campaigns/{id}/recipients', {
      pathParameters: { id: CAMPAIGN_ID },
      headers: auth,
      body: JSON.stringify({ recipients }),
    });
    expect(res.status).toBe(400);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('rejects a bad score query with 400', async () => {
    const res = await call('GET /v1/score', { headers: auth, query: { from: 'yesterday' } });
    expect(res.status).toBe(400);
  });

  describe('ids that cannot name a record', () => {
    const ids = [
      ['3,000 characters', 'A'.repeat(3000)],
      ['a lower-case ULID', CAMPAIGN_ID.toLowerCase()],
      ['a ULID with a letter Crockford leaves out', `${CAMPAIGN_ID.slice(0, 25)}U`],
      ['a short id', 'c1'],
      ['a path', '../CAMPAIGN'],
      ['a prototype name', '__proto__'],
      ['a line break', `${CAMPAIGN_ID.slice(0, 25)}\n`],
    ];
    const routes = [
      ['GET /v1/campaigns/{id}', undefined, 'Campaign not found'],
      ['GET /v1/campaigns/{id}/score', undefined, 'Campaign not found'],
      ['POST /v1/campaigns/{id}/recipients', JSON.stringify({ recipients: [{ email: 'a@example.com' }] }), 'Campaign not found'],
      ['PATCH /v1/followups/{id}', JSON.stringify({ status: 'resolved' }), 'Follow-up not found'],
    ] as const;

    it.each(routes.flatMap(([route, body, message]) => ids.map(([what, id]) => [route, what, id, body, message] as const)))(
      '%s answers 404 for %s without a lookup',
      async (route, _, id, body, message) => {
        const res = await call(route, { pathParameters: { id: id ?? '' }, headers: auth, ...(body ? { body } : {}) });
        expect(res).toEqual({ status: 404, body: { error: { code: 'not_found', message } } });
        expect(ddb.calls()).toHaveLength(0);
      },
    );

    it('answers 404 for a responses export of a campaign id that cannot exist, without a lookup', async () => {
      const res = await call('GET /v1/responses', { headers: auth, query: { campaignId: 'c'.repeat(64) } });
      expect(res.status).toBe(404);
      expect(ddb.calls()).toHaveLength(0);
    });
  });

  it('refuses a campaign with a reserved segment name, saying why, and writes nothing', async () => {
    const res = await call('POST /v1/campaigns', {
      headers: auth,
      body: JSON.stringify({ name: 'Q4', brand: 'Acme', channel: 'email', segments: ['constructor'] }),
    });
    expect(res.status).toBe(400);
    expect((res.body.error as { message: string }).message).toMatch(/segments\.0: "constructor" is reserved/);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a brand with a line break, naming the field, and writes nothing', async () => {
    const res = await call('POST /v1/campaigns', {
      headers: auth,
      body: JSON.stringify({ name: 'Q4', brand: 'Acme\r\nBcc: x@example.com', channel: 'email' }),
    });
    expect(res.status).toBe(400);
    expect((res.body.error as { message: string }).message).toMatch(/^brand: must not contain line breaks or control characters$/);
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    ['brandColor', 'red'],
    ['logoUrl', 'http://acme.example/logo.png'],
    ['privacyUrl', 'javascript:alert(1)'],
    ['postalAddress', 'a\nb\nc\nd'],
    ['senderName', 'Acme\nBcc: x@example.com'],
  ])('refuses a bad %s with 400 naming it, and writes nothing', async (field, value) => {
    const res = await call('POST /v1/campaigns', { headers: auth, body: JSON.stringify({ name: 'Q4', brand: 'Acme', channel: 'email', [field]: value }) });
    expect(res.status).toBe(400);
    expect((res.body.error as { message: string }).message).toMatch(new RegExp(`^${field}: `));
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a follow-up assignee with a line break, naming the field, and writes nothing', async () => {
    const res = await call('PATCH /v1/followups/{id}', {
      pathParameters: { id: CAMPAIGN_ID },
      headers: auth,
      body: JSON.stringify({ assignee: 'Ann\nBcc: x@example.com' }),
    });
    expect(res.status).toBe(400);
    expect((res.body.error as { message: string }).message).toMatch(/^assignee: must not contain line breaks or control characters$/);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('turns an unexpected failure into a 500 without leaking it', async () => {
    ddb.on(GetCommand).rejects(new Error('socket hang up'));
    const res = await call('GET /v1/campaigns/{id}', { pathParameters: { id: CAMPAIGN_ID }, headers: auth });
    expect(res).toEqual({ status: 500, body: { error: { code: 'internal', message: 'Internal error' } } });
  });
});
