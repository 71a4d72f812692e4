/**
 * The admin API over HTTP, as functions/admin-api.ts serves it and README's "Try it" shows it:
 * bearer key, JSON both ways, `{ error: { code, message } }` on failure. Answers are parsed
 * with the route's own schema from the contract (shared/contract/api.ts) before anything relies
 * on them. Requests that are safe to repeat are retried on passing failures.
 */
import type * as z from 'zod';
import { adminApi } from '#shared/contract/api';
import { ErrorBody } from '#shared/contract/errors';
import type { RecipientInput } from '#shared/contract/recipients';
import type { ScoreQuery } from '#shared/contract/scores';
import { backoffDelay, interactiveRetryPolicy, isTransientStatus, retryAfterMs, type RetryPolicy } from './retry.ts';

/** A request that failed for good; `message` is what the user should read. */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or undefined when no answer came back at all. */
    readonly status: number | undefined,
    /** The API's error code, or `network` / `unexpected_response` / `http_<status>`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RetryNotice {
  readonly what: string;
  readonly reason: string;
  /** The try that just failed, from 1. */
  readonly attempt: number;
  readonly attempts: number;
  readonly delayMs: number;
}

export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told before each wait for another try, so a long import can say why it paused. */
  readonly onRetry?: (notice: RetryNotice) => void;
  /** Per try. API Gateway gives up at 30 s, so longer only waits on a dead connection. */
  readonly timeoutMs?: number;
}

export type ScoreParams = z.input<typeof ScoreQuery>;
export interface ThemeImpactParams {
  readonly from?: string;
  readonly to?: string;
  /** `attribute:value`, e.g. `plan:pro`. */
  readonly segment?: string;
}

interface Call {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Only requests that cannot do a thing twice may be repeated after a failure. */
  readonly retry: boolean;
}

const oneLine = (text: string, max = 200): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

/** Why fetch threw, in the words of the OS where possible ("ECONNREFUSED") rather than "fetch failed". */
const networkReason = (error: unknown): string => {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  if (cause && typeof cause === 'object') {
    const code = 'code' in cause ? cause.code : undefined;
    if (typeof code === 'string') return code;
    if (cause instanceof Error) return cause.message;
  }
  return error instanceof Error ? error.message : String(error);
};

/** The error a failed answer stands for: the API's own message when it sent one. */
export const errorFromAnswer = (status: number, text: string, what: string): ApiError => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const body = ErrorBody.safeParse(parsed);
  if (body.success) return new ApiError(status, body.data.error.code, `${body.data.error.message} (HTTP ${status} ${body.data.error.code})`);
  return new ApiError(status, `http_${status}`, `HTTP ${status} from ${what}${text.trim() ? `: ${oneLine(text)}` : ''}`);
};

const query = (params: Record<string, string | number | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
};

export const createApiClient = (options: ApiClientOptions) => {
  const doFetch = options.fetch ?? fetch;
  const policy = options.retry ?? interactiveRetryPolicy;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const base = options.baseUrl.replace(/\/+$/, '');

  const call = async <S extends z.ZodType>(method: string, path: string, schema: S, request: Call): Promise<z.infer<S>> => {
    const what = `${method} ${path.split('?')[0] ?? path}`;
    const attempts = request.retry ? policy.attempts : 1;
    for (let attempt = 1; ; attempt++) {
      let failure: ApiError;
      let wait: number | undefined;
      try {
        const response = await doFetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            accept: 'application/json',
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...request.headers,
          },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        if (response.ok) return parseAnswer(schema, text, what);
        failure = errorFromAnswer(response.status, text, what);
        // A 409 after a failed try is most likely that try still running on the server under the
        // same Idempotency-Key: worth waiting for. A 409 on the first try is a real conflict.
        const stillRunning = response.status === 409 && attempt > 1;
        if (!isTransientStatus(response.status) && !stillRunning) throw failure;
        wait = retryAfterMs(response.headers.get('retry-after'));
      } catch (error) {
        if (error instanceof ApiError) throw error;
        failure = new ApiError(undefined, 'network', `cannot reach ${base} (${networkReason(error)})`);
      }
      if (attempt >= attempts) {
        throw attempts > 1 ? new ApiError(failure.status, failure.code, `${failure.message}; gave up after ${attempts} tries`) : failure;
      }
      const delayMs = backoffDelay(attempt - 1, policy, wait);
      options.onRetry?.({ what, reason: failure.message, attempt, attempts, delayMs });
      await sleep(delayMs);
    }
  };

  return {
    createCampaign: (input: Record<string, unknown>) => call('POST', '/v1/campaigns', adminApi['POST /v1/campaigns'].answer, { body: input, retry: false }),

    getCampaign: (id: string) => call('GET', `/v1/campaigns/${encodeURIComponent(id)}`, adminApi['GET /v1/campaigns/{id}'].answer, { retry: true }),

    listCampaigns: (page: { limit?: number; cursor?: string } = {}) =>
      call('GET', `/v1/campaigns${query(page)}`, adminApi['GET /v1/campaigns'].answer, { retry: true }),

    /** Safe to repeat because of the Idempotency-Key: the server answers a repeat as it answered the first. */
    addRecipients: (campaignId: string, recipients: readonly RecipientInput[], idempotencyKey: string) =>
      call('POST', `/v1/campaigns/${encodeURIComponent(campaignId)}/recipients`, adminApi['POST /v1/campaigns/{id}/recipients'].answer, {
        body: { recipients },
        headers: { 'idempotency-key': idempotencyKey },
        retry: true,
      }),

    score: (campaignId: string | undefined, params: ScoreParams = {}) =>
      campaignId === undefined
        ? call('GET', `/v1/score${query({ ...params })}`, adminApi['GET /v1/score'].answer, { retry: true })
        : call('GET', `/v1/campaigns/${encodeURIComponent(campaignId)}/score${query({ ...params })}`, adminApi['GET /v1/campaigns/{id}/score'].answer, {
            retry: true,
          }),

    themeImpact: (campaignId: string | undefined, params: ThemeImpactParams = {}) =>
      call('GET', `/v1/themes/impact${query({ ...(campaignId ? { campaignId } : {}), ...params })}`, adminApi['GET /v1/themes/impact'].answer, { retry: true }),
  };
};

export type ApiClient = ReturnType<typeof createApiClient>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const parseAnswer = <S extends z.ZodType>(schema: S, text: string, what: string): z.infer<S> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(undefined, 'unexpected_response', `the answer to ${what} is not JSON: ${oneLine(text, 80)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(undefined, 'unexpected_response', `unexpected answer to ${what}: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}`);
  }
  // Fields this CLI's contract does not know yet (a newer server) are kept, so `--json` prints all the server said.
  return isRecord(json) && isRecord(parsed.data) ? { ...json, ...parsed.data } : parsed.data;
};
