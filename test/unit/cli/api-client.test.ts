import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, errorFromAnswer, type RetryNotice } from '../../../cli/api-client.ts';
import { backoffDelay, retryAfterMs } from '../../../cli/retry.ts';

interface Sent {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** A fetch that plays back answers in order (a Response, or an Error to throw) and records what was sent. */
const scripted = (...answers: (Response | Error)[]) => {
  const sent: Sent[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(Object.entries(init?.headers ?? {})),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return next;
  };
  return { sent, fetchFn };
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const refused = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

const clientWith = (fetchFn: typeof fetch, notices: RetryNotice[] = []) =>
  createApiClient({
    baseUrl: 'http://localhost:3000/',
    apiKey: 'k1',
    fetch: fetchFn,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    sleep: async () => undefined,
    onRetry: (n) => notices.push(n),
  });

const added = { accepted: 2, skipped: [{ index: 1, reason: 'duplicate' }] };

describe('the API client', () => {
  it('sends the bearer key, JSON and the Idempotency-Key, and parses the answer', async () => {
    const { sent, fetchFn } = scripted(json(202, added));
    const result = await clientWith(fetchFn).addRecipients('C 1', [{ email: 'a@x.com' }], 'key-0');
    expect(result).toEqual(added);
    expect(sent[0]).toMatchObject({
      url: 'http://localhost:3000/v1/campaigns/C%201/recipients',
      method: 'POST',
      headers: { authorization: 'Bearer k1', 'content-type': 'application/json', 'idempotency-key': 'key-0' },
      body: { recipients: [{ email: 'a@x.com' }] },
    });
  });

  it('puts the score filters in the query, and reads the overall score without a campaign', async () => {
    const score = { nps: null, responses: 0, promoters: 0, passives: 0, detractors: 0, ci95: null, days: [], segments: {} };
    const { sent, fetchFn } = scripted(json(200, score), json(200, { ...score, campaignId: 'C1' }));
    await clientWith(fetchFn).score(undefined, { from: '2026-11-01', to: '2026-11-07', by: 'week' });
    await clientWith(fetchFn).score('C1');
    expect(sent.map((s) => s.url)).toEqual([
      'http://localhost:3000/v1/score?from=2026-11-01&to=2026-11-07&by=week',
      'http://localhost:3000/v1/campaigns/C1/score',
    ]);
  });

  it('stops at once on a 4xx with the API message and code', async () => {
    const { sent, fetchFn } = scripted(json(404, { error: { code: 'not_found', message: 'Campaign not found' } }));
    const failure = clientWith(fetchFn).addRecipients('nope', [{ email: 'a@x.com' }], 'k');
    await expect(failure).rejects.toThrow(new ApiError(404, 'not_found', 'Campaign not found (HTTP 404 not_found)'));
    expect(sent).toHaveLength(1);
  });

  it('tries a recipients request again after a 5xx or a refused connection, with the same key', async () => {
    const notices: RetryNotice[] = [];
    const { sent, fetchFn } = scripted(json(503, { message: 'Service Unavailable' }), refused(), json(202, added));
    const result = await clientWith(fetchFn, notices).addRecipients('C1', [{ email: 'a@x.com' }], 'key-7');
    expect(result).toEqual(added);
    expect(sent.map((s) => s.headers['idempotency-key'])).toEqual(['key-7', 'key-7', 'key-7']);
    expect(notices.map((n) => [n.attempt, n.reason])).toEqual([
      [1, 'HTTP 503 from POST /v1/campaigns/C1/recipients: {"message":"Service Unavailable"}'],
      [2, 'cannot reach http://localhost:3000 (ECONNREFUSED)'],
    ]);
  });

  it('waits out a 409 that follows a failed try: the first try is still running under the same key', async () => {
    const conflict = () => json(409, { error: { code: 'conflict', message: 'A request with this Idempotency-Key is still in progress' } });
    const { sent, fetchFn } = scripted(json(504, { message: 'Gateway timeout' }), conflict(), json(202, added));
    expect(await clientWith(fetchFn).addRecipients('C1', [{ email: 'a@x.com' }], 'key-1')).toEqual(added);
    expect(sent).toHaveLength(3);
  });

  it('takes a 409 on the first try as a real conflict and stops', async () => {
    const { sent, fetchFn } = scripted(
      json(409, { error: { code: 'conflict', message: 'This Idempotency-Key was already used with a different request body' } }),
    );
    await expect(clientWith(fetchFn).addRecipients('C1', [{ email: 'a@x.com' }], 'key-1')).rejects.toThrow(/different request body \(HTTP 409 conflict\)/);
    expect(sent).toHaveLength(1);
  });

  it('gives up after the last try, saying how many it made', async () => {
    const { fetchFn } = scripted(refused(), refused(), refused());
    await expect(clientWith(fetchFn).getCampaign('C1')).rejects.toThrow('cannot reach http://localhost:3000 (ECONNREFUSED); gave up after 3 tries');
  });

  it('never repeats a campaign create, which has no idempotency key', async () => {
    const { sent, fetchFn } = scripted(json(500, { error: { code: 'internal', message: 'Internal error' } }));
    await expect(clientWith(fetchFn).createCampaign({ name: 'n', brand: 'b', channel: 'email' })).rejects.toThrow(
      'Internal error (HTTP 500 internal)',
    );
    expect(sent).toHaveLength(1);
  });

  it('refuses an answer that does not match the contract, naming the field', async () => {
    const { fetchFn } = scripted(json(202, { accepted: 'many', skipped: [] }));
    await expect(clientWith(fetchFn).addRecipients('C1', [{ email: 'a@x.com' }], 'k')).rejects.toThrow(
      /unexpected answer to POST \/v1\/campaigns\/C1\/recipients: accepted: /,
    );
  });
});

describe('errorFromAnswer', () => {
  it('uses the contract error body when there is one', () => {
    const error = errorFromAnswer(400, '{"error":{"code":"validation_failed","message":"name: Too small"}}', 'POST /v1/campaigns');
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'name: Too small (HTTP 400 validation_failed)' });
  });

  it('falls back to the status and the start of the body, on one line', () => {
    const error = errorFromAnswer(502, '<html>\n  <body>Bad gateway</body>\n</html>', 'GET /v1/score');
    expect(error.message).toBe('HTTP 502 from GET /v1/score: <html> <body>Bad gateway</body> </html>');
  });
});

describe('backoff', () => {
  const policy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 10_000 };

  it('doubles, stays within half and all of the step, and never passes the cap', () => {
    expect(backoffDelay(0, policy, undefined, () => 0)).toBe(250);
    expect(backoffDelay(0, policy, undefined, () => 1)).toBe(500);
    expect(backoffDelay(3, policy, undefined, () => 1)).toBe(4_000);
    expect(backoffDelay(10, policy, undefined, () => 1)).toBe(10_000);
  });

  it('waits at least as long as the server asks, up to the cap', () => {
    expect(backoffDelay(0, policy, 3_000, () => 0)).toBe(3_000);
    expect(backoffDelay(0, policy, 60_000, () => 0)).toBe(10_000);
    expect(retryAfterMs('2')).toBe(2_000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(5_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
