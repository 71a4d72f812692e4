import { inject } from 'vitest';
import type { z } from 'zod';
import { adminApi, publicApi, type AdminRoute, type PublicRoute } from '#shared/contract/api';
import { readWholeOutbox } from '#local/outbox/outbox-page';

/** A tiny client for the local runtime, as a user with curl would see it. */
export const baseUrl = (): string => inject('baseUrl');

export interface Reply<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
  readonly headers: Headers;
}

export const request = async <T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<Reply<T>> => {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.auth !== false) headers.authorization ??= `Bearer ${inject('apiKey')}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(path.startsWith('http') ? path : `${baseUrl()}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    redirect: 'manual',
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: res.status, body: body as T, text, headers: res.headers };
};

type JsonRoute = { [R in AdminRoute | PublicRoute]: (typeof adminApi & typeof publicApi)[R] extends { answer: z.ZodType } ? R : never }[AdminRoute | PublicRoute];
type Answer<R extends JsonRoute> = z.output<(typeof adminApi & typeof publicApi)[R]['answer']>;

const routes: { [R in JsonRoute]: { readonly answer: z.ZodType<Answer<R>> } } = { ...adminApi, ...publicApi };

/**
 * Calls a route of the API by its contract name (`'GET /v1/campaigns/{id}'`, `{ id }`) and parses
 * the answer with the contract's schema, so a test fails where the API drifts from the contract.
 * A failure (4xx, 5xx) throws: tests of errors use `request`.
 */
export const api = async <R extends JsonRoute>(
  route: R,
  options: {
    params?: Record<string, string>;
    query?: Record<string, string | number | undefined>;
    body?: unknown;
    headers?: Record<string, string>;
    auth?: boolean;
  } = {},
): Promise<Reply<Answer<R>>> => {
  const [method = '', template = ''] = route.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
  const query = Object.entries(options.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
  const search = query.length === 0 ? '' : `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
  const reply = await request<unknown>(method, `${path}${search}`, {
    body: options.body,
    auth: options.auth,
    headers: { accept: 'application/json', ...options.headers },
  });
  if (reply.status >= 400) throw new Error(`${route} answered ${reply.status}: ${reply.text}`);
  return { ...reply, body: routes[route].answer.parse(reply.body) };
};

/** What a local outbox's filters can narrow it to (see local/outbox/). */
export type OutboxFilter =
  | { readonly box: 'email'; readonly to?: string }
  | { readonly box: 'sms'; readonly to?: string }
  | { readonly box: 'alerts'; readonly campaignId?: string; readonly followupId?: string };

/**
 * Every message of a local outbox that the filter keeps, newest first: the outbox's own filter
 * narrows it, and the reader follows `nextCursor` to the last page, so a test neither reads the
 * thousands of e-mails other tests sent nor misses one past the first page.
 */
export const outbox = <T>({ box, ...filter }: OutboxFilter): Promise<T[]> => readWholeOutbox<T>(`${baseUrl()}/local/outbox/${box}`, filter);

/** Polls `probe` until it returns a value, or fails with the last observation at the deadline. */
export const eventually = async <T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
};

let counter = 0;
/** Addresses unique to one test run, so tests never see each other's mail. */
export const uniqueEmail = (name: string): string => `${name}.${Date.now().toString(36)}${(counter++).toString(36)}@example.com`;
