/**
 * The console's one way to the API: routes by their contract name (`'GET /v1/followups/{id}'`),
 * the signed-in user's ID token as the bearer, every answer parsed with the contract's own schema.
 * A 401 first renews the ID token (the refresh token) and asks once more; only when that fails has
 * the session ended, and the app signs in again and comes back to the same page.
 */
import type * as z from 'zod';
import { adminApi, type AdminRoute } from '#shared/contract/api';
import { ErrorBody } from '#shared/contract/errors';
import { t } from './i18n.ts';

type JsonRoute = { [R in AdminRoute]: (typeof adminApi)[R] extends { answer: z.ZodType } ? R : never }[AdminRoute];
export type Answer<R extends JsonRoute> = z.output<(typeof adminApi)[R]['answer']>;

const answers: { [R in JsonRoute]: { readonly answer: z.ZodType<Answer<R>> } } = adminApi;

export type ApiFailure = 'network' | 'unauthorized' | 'forbidden' | 'notFound' | 'badRequest' | 'server' | 'unexpected';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiFailure,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Session {
  token(): string | undefined;
  /** Renews the token after the API refused it; false when it cannot be renewed. */
  renew(): Promise<boolean>;
  /** The API refused the token and it could not be renewed: the session ended. */
  expired(): void;
}

let session: Session = { token: () => undefined, renew: async () => false, expired: () => undefined };
export const connectApi = (next: Session): void => {
  session = next;
};

export interface CallOptions {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

const pathOf = (route: AdminRoute, options: CallOptions) => {
  const [method = 'GET', template = '/'] = route.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
  const query = Object.entries(options.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
  const search = query.length ? `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)]))}` : '';
  return { method, url: `${path}${search}` };
};

const sendOnce = async (route: AdminRoute, options: CallOptions, extra: Record<string, string>): Promise<Response> => {
  const { method, url } = pathOf(route, options);
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...extra };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    // The console's own origin serves the API (CloudFront on AWS, the local host under `npm start`).
    return await fetch(new URL(url, location.origin), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('network', 0, 'network');
  }
};

/**
 * Sends the call; if the API refuses the token (it expired while the tab slept, say), renews it
 * and sends once more. A refused token means the call did nothing, so sending it again is safe.
 */
const send = async (route: AdminRoute, options: CallOptions, extra: Record<string, string> = {}): Promise<Response> => {
  const response = await sendOnce(route, options, extra);
  if (response.status !== 401 || !(await session.renew())) return response;
  return sendOnce(route, options, extra);
};

const failure = async (response: Response): Promise<ApiError> => {
  const parsed = ErrorBody.safeParse(await response.json().catch(() => undefined));
  const message = parsed.success ? parsed.data.error.message : response.statusText;
  const { status } = response;
  if (status === 401) {
    session.expired();
    return new ApiError('unauthorized', status, message);
  }
  if (status === 403) return new ApiError('forbidden', status, message);
  if (status === 404) return new ApiError('notFound', status, message);
  if (status >= 400 && status < 500) return new ApiError('badRequest', status, message);
  return new ApiError('server', status, message);
};

const parse = async <R extends JsonRoute>(route: R, response: Response): Promise<Answer<R>> => {
  const schema: z.ZodType<Answer<R>> = answers[route].answer;
  const result = schema.safeParse(await response.json().catch(() => undefined));
  if (!result.success) throw new ApiError('unexpected', response.status, `${route}: ${result.error.message}`);
  return result.data;
};

export const api = async <R extends JsonRoute>(route: R, options: CallOptions = {}): Promise<Answer<R>> => {
  const response = await send(route, options);
  if (!response.ok) throw await failure(response);
  return parse(route, response);
};

/** A read that answers `unchanged` (304) while the ETag still holds: the inbox polls with it. */
export const apiIfChanged = async <R extends JsonRoute>(
  route: R,
  options: CallOptions,
  etag: string | undefined,
): Promise<{ readonly unchanged: true } | { readonly unchanged: false; readonly body: Answer<R>; readonly etag: string | undefined }> => {
  const response = await send(route, options, etag ? { 'if-none-match': etag } : {});
  if (response.status === 304) return { unchanged: true };
  if (!response.ok) throw await failure(response);
  return { unchanged: false, body: await parse(route, response), etag: response.headers.get('etag') ?? undefined };
};

/** What a person reads when a call failed: never a blank page, never a stack trace. */
export const describeFailure = (error: unknown): string => {
  if (!(error instanceof ApiError)) return t('error.unexpected');
  switch (error.kind) {
    case 'network':
      return t('error.network');
    case 'unauthorized':
      return t('signin.again');
    case 'forbidden':
      return t('error.forbidden');
    case 'notFound':
      return t('error.notFound');
    case 'badRequest':
      return t('error.badRequest', { message: error.message });
    case 'server':
      return t('error.server');
    case 'unexpected':
      return t('error.unexpected');
  }
};
