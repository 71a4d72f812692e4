import { createHash, randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type * as z from 'zod';
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

/** The local accounts' password when NPSLOOP_LOCAL_PASSWORD is not set (local/oidc/oidc-server.ts). */
export const localPassword = 'local-dev-password';
const consoleClientId = 'npsloop-console';

/**
 * A browser's cookies, just enough for the sign-in: kept by name and path, sent to the paths
 * they belong to, dropped when the server expires them.
 */
class CookieJar {
  readonly #cookies = new Map<string, { value: string; path: string }>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = value === '' || attributes.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()));
      const key = `${name}|${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.#cookies]
      .filter(([, cookie]) => pathname.startsWith(cookie.path))
      .map(([key, cookie]) => `${key.slice(0, key.indexOf('|'))}=${cookie.value}`)
      .join('; ');
  }
}

/** A sign-in under way: the login page's address and the browser state that belongs to it. */
export interface SignInAttempt {
  readonly loginUrl: string;
  readonly redirectUri: string;
  readonly verifier: string;
  readonly jar: CookieJar;
  readonly state: string;
}

const browse = async (jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> => {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.take(response);
  return response;
};

/**
 * Starts the console's sign-in as oidc-client-ts does (authorization code with PKCE, S256):
 * asks the issuer's authorization endpoint and follows it to the login page.
 */
export const startSignIn = async (runtime: { readonly url: string }): Promise<SignInAttempt> => {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('base64url');
  const redirectUri = `${runtime.url}/console/`;
  const discovery = (await (await fetch(`${runtime.url}/oidc/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string };
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: consoleClientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const toLogin = await browse(jar, authorize.href);
  const location = toLogin.headers.get('location');
  if (toLogin.status !== 303 || !location) throw new Error(`The authorization endpoint answered ${toLogin.status}: ${await toLogin.text()}`);
  return { loginUrl: new URL(location, runtime.url).href, redirectUri, verifier, jar, state };
};

/** Submits the login form as a person would; answers the provider's reply (a redirect on success, the form again on failure). */
export const submitLogin = (attempt: SignInAttempt, email: string, password: string): Promise<Response> =>
  browse(attempt.jar, attempt.loginUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    body: new URLSearchParams({ email, password }).toString(),
  });

/**
 * Signs in to the local OIDC server as the console does, over HTTP, and answers the ID token the
 * console would send as `Authorization: Bearer <token>`: the authorization request with PKCE,
 * the login form, the redirects back to the console with a code, and the token request.
 */
export const signIn = async (runtime: { readonly url: string }, email: string, password: string = localPassword): Promise<string> =>
  (await signInForTokens(runtime, email, password)).idToken;

/** The tokens a console sign-in gets: the ID token and the refresh token that renews it. */
export interface SignedIn {
  readonly idToken: string;
  readonly refreshToken?: string;
}

export const signInForTokens = async (runtime: { readonly url: string }, email: string, password: string = localPassword): Promise<SignedIn> => {
  const attempt = await startSignIn(runtime);
  let reply = await submitLogin(attempt, email, password);
  for (let hops = 0; hops < 5; hops++) {
    const location = reply.headers.get('location');
    if (reply.status < 300 || reply.status >= 400 || !location) throw new Error(`Sign-in of a local account failed with ${reply.status}: ${await reply.text()}`);
    const next = new URL(location, runtime.url);
    if (next.href.startsWith(attempt.redirectUri)) {
      const code = next.searchParams.get('code');
      if (!code || next.searchParams.get('state') !== attempt.state) throw new Error(`The sign-in came back without a code: ${next.search}`);
      const token = await fetch(`${runtime.url}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: attempt.redirectUri, client_id: consoleClientId, code_verifier: attempt.verifier }).toString(),
      });
      const body = (await token.json()) as { id_token?: string; refresh_token?: string };
      if (!token.ok || !body.id_token) throw new Error(`The token endpoint answered ${token.status}: ${JSON.stringify(body)}`);
      return { idToken: body.id_token, ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}) };
    }
    reply = await browse(attempt.jar, next.href);
  }
  throw new Error('The sign-in redirected too many times');
};

/**
 * A new e-mail campaign whose recipients all answer `score` (a detractor's) on the survey page,
 * once each case is open: the campaign, its cases, the survey tokens and the addresses.
 */
export const detractorCases = async (name: string, count = 2, score = 1) => {
  const { id } = (await api('POST /v1/campaigns', { body: { name, brand: 'Acme', channel: 'email' } })).body;
  const people = Array.from({ length: count }, (_, i) => uniqueEmail(`d${i + 1}`));
  await api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients: people.map((email) => ({ email })) } });
  const tokens = await eventually(async () => {
    const mails = await Promise.all(people.map((to) => outbox<{ html: string }>({ box: 'email', to })));
    const found = mails.map((sent) => /\/s\/([^?"]+)\?score=/.exec(sent[0]?.html ?? '')?.[1]);
    return found.every(Boolean) ? (found as string[]) : undefined;
  });
  for (const token of tokens) await request('POST', `/s/${token}`, { body: { score }, auth: false });
  const cases = await eventually(async () => {
    const { items } = (await api('GET /v1/followups', { query: { campaignId: id } })).body;
    return items.length === count ? items : undefined;
  });
  return { id, cases, tokens, people };
};
