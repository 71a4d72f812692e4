import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { DomainError, type FieldIssue } from '#shared/core/errors';
import type { ErrorBody } from '#shared/contract/errors';
import { logger } from '#shared/aws/logger';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpMiddleware = MiddlewareObj<HttpEvent, HttpResult, Error, Context>;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

declare const carries: unique symbol;
/**
 * A JSON answer that remembers, for the compiler only, the type of its body: a route typed with
 * the contract's answer (shared/contract/api.ts) does not compile when it answers another shape.
 * A plain HttpResult (a page, a CSV) is one too.
 */
export type JsonResult<Body> = HttpResult & { readonly [carries]?: Body };

export const json = <Body>(statusCode: number, body: Body): JsonResult<Body> => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS },
  body: JSON.stringify(body),
});

/** A strong validator of a JSON body: the hash of its bytes, quoted as HTTP wants it. */
export const etagOf = (body: string): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/**
 * A 200 JSON answer with an ETag; when the request's If-None-Match already names that ETag
 * (the client has this very body), 304 with no body instead. A poller then costs the server
 * the read, but the network and the browser almost nothing while nothing changed.
 */
export const jsonWithETag = <Body>(event: HttpEvent, body: Body): JsonResult<Body> => {
  const result = json(200, body);
  const etag = etagOf(String(result.body));
  const known = (header(event, 'if-none-match') ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (known.includes(etag) || known.includes('*')) return { statusCode: 304, headers: { etag, ...SECURITY_HEADERS } };
  return { ...result, headers: { ...result.headers, etag } };
};

export const html = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    ...SECURITY_HEADERS,
  },
  body,
});

export const header = (event: HttpEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
};

export const wantsJson = (event: HttpEvent): boolean => (header(event, 'accept') ?? '').includes('application/json');

/** A zod failure as a client error: which fields, what was wrong; never the values themselves. */
export const validationError = (error: z.ZodError): DomainError =>
  new DomainError(
    'validation_failed',
    error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );

/** Parses `input` with `schema`, turning failure into a 400. */
export const parse = <S extends z.ZodType>(schema: S, input: unknown): z.infer<S> => {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
};

const MAX_BODY_BYTES = 256 * 1024;

/** The request body as a plain object, from JSON or an HTML form; malformed bodies are 400s. */
export const readBody = (event: HttpEvent): unknown => {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new DomainError('payload_too_large', 'Request body is too large');
  const type = (header(event, 'content-type') ?? 'application/json').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
  if (type === 'application/json' || type === '') {
    if (raw.trim() === '') throw new DomainError('bad_request', 'Request body is required');
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new DomainError('bad_request', 'Request body is not valid JSON');
    }
  }
  throw new DomainError('unsupported_media_type', 'Send application/json or application/x-www-form-urlencoded');
};

/**
 * The body of an API request: JSON only. A form post (what `curl -d` sends without a
 * content-type) is a 415 that says what to send, not a puzzling validation error about its keys.
 */
export const readJsonBody = (event: HttpEvent): unknown => {
  const type = (header(event, 'content-type') ?? 'application/json').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && type !== '') {
    throw new DomainError('unsupported_media_type', 'Send JSON (content-type: application/json)');
  }
  return readBody(event);
};

export const errorBody = (code: string, message: string, details?: FieldIssue[]): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * Maps every error to the contract's `{ error: { code, message } }`: a DomainError keeps its
 * status; anything else is our bug, logged (without request data) and answered 500.
 * `render` lets HTML routes answer with a page instead of JSON.
 */
export const httpErrors = (
  render?: (event: HttpEvent, status: number, code: string) => HttpResult | undefined,
): HttpMiddleware => ({
  onError: (request) => {
    const { error, event } = request;
    const known = error instanceof DomainError ? error : undefined;
    if (!known) logger.error('unhandled error', { error: error as Error, routeKey: event.routeKey });
    const status = known?.statusCode ?? 500;
    const code = known?.code ?? 'internal';
    const message = known?.message ?? 'Internal error';
    const response = render?.(event, status, code) ?? json(status, errorBody(code, message, known?.details));
    // RFC 6750: a 401 names the scheme the caller should use.
    request.response = status === 401 ? { ...response, headers: { ...response.headers, 'www-authenticate': 'Bearer' } } : response;
  },
});

export const pathParam = (event: HttpEvent, name: string): string => {
  const value = event.pathParameters?.[name];
  if (!value) throw new DomainError('not_found', 'Not found');
  return value;
};

export const query = (event: HttpEvent): Record<string, string> =>
  Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
