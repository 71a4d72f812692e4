import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { RouteMatch } from './route-table.ts';

/**
 * The two translations API Gateway HTTP API (payload format 2.0) does around a Lambda: an HTTP
 * request into an APIGatewayProxyEventV2, and the function's result into an HTTP response.
 */

export interface IncomingRequest {
  readonly method: string;
  /** The request target as received: path and query, still URL-encoded. */
  readonly url: string;
  /** Node's `rawHeaders`: alternating names and values, in arrival order, duplicates kept. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly port: number;
}

export interface RequestIdentity {
  readonly requestId: string;
  readonly timeEpoch: number;
}

const accountId = '000000000000';
const apiId = 'local';

// API Gateway hands these to Lambda as text; anything else arrives base64-encoded.
const textMediaTypes = [/^text\//, /^application\/([\w.+-]+\+)?json$/, /^application\/([\w.+-]+\+)?xml$/, /^application\/x-www-form-urlencoded$/, /^application\/(javascript|graphql)$/];

export const splitTarget = (url: string): { rawPath: string; rawQueryString: string } => {
  const queryStart = url.indexOf('?');
  return queryStart === -1
    ? { rawPath: url, rawQueryString: '' }
    : { rawPath: url.slice(0, queryStart), rawQueryString: url.slice(queryStart + 1) };
};

export function toApiGatewayEvent<T>(request: IncomingRequest, match: RouteMatch<T>, identity: RequestIdentity): APIGatewayProxyEventV2 {
  const { rawPath, rawQueryString } = splitTarget(request.url);
  const { headers, cookies } = collectHeaders(request.rawHeaders);
  headers['x-forwarded-for'] ??= request.sourceIp;
  headers['x-forwarded-port'] ??= String(request.port);
  headers['x-forwarded-proto'] ??= 'http';
  const host = headers.host ?? `localhost:${request.port}`;
  const isText = isTextBody(headers['content-type']);
  const hasBody = request.body.length > 0;
  const pathParameters = match.pathParameters;
  const queryStringParameters = parseQueryString(rawQueryString);
  return {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(queryStringParameters && { queryStringParameters }),
    ...(Object.keys(pathParameters).length > 0 && { pathParameters: { ...pathParameters } }),
    requestContext: {
      accountId,
      apiId,
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: identity.requestId,
      routeKey: match.routeKey,
      stage: '$default',
      time: formatRequestTime(new Date(identity.timeEpoch)),
      timeEpoch: identity.timeEpoch,
    },
    ...(hasBody && { body: request.body.toString(isText ? 'utf8' : 'base64') }),
    isBase64Encoded: hasBody && !isText,
  };
}

/** Lower-cased names, repeated headers joined with commas, cookies moved to their own list. */
function collectHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers = new Map<string, string>();
  const cookies: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    const value = rawHeaders[index + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((cookie) => cookie.trim()).filter((cookie) => cookie !== ''));
      continue;
    }
    joinRepeated(headers, name, value);
  }
  return { headers: Object.fromEntries(headers), cookies };
}

// A Map, not an object: a client's `__proto__` or `constructor` is a name like any other.
const joinRepeated = (values: Map<string, string>, name: string, value: string) => {
  const existing = values.get(name);
  values.set(name, existing === undefined ? value : `${existing},${value}`);
};

function isTextBody(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType !== undefined && textMediaTypes.some((pattern) => pattern.test(mediaType));
}

/** Decoded values; a repeated key's values are joined with commas, as payload 2.0 does. */
function parseQueryString(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQueryString)) joinRepeated(parameters, key, value);
  return parameters.size > 0 ? Object.fromEntries(parameters) : undefined;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the format of requestContext.time. */
function formatRequestTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()] ?? ''}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export interface OutgoingResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: Buffer;
}

const headerValue = z.union([z.string(), z.number(), z.boolean()]);
const structuredResult = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), headerValue).optional(),
  multiValueHeaders: z.record(z.string(), z.array(headerValue)).optional(),
  cookies: z.array(z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

export const internalServerError: OutgoingResponse = jsonResponse(500, {
  error: { code: 'internal_error', message: 'Internal Server Error' },
});

/**
 * A result with a `statusCode` is a full response; any other result is, as API Gateway infers
 * it, a 200 JSON body holding the result. A malformed full response is a 500.
 */
export function toHttpResponse(result: unknown): OutgoingResponse {
  const isStructured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!isStructured) return jsonResponse(200, result ?? null);
  const parsed = structuredResult.safeParse(result);
  if (!parsed.success) return internalServerError;
  const { statusCode, headers = {}, multiValueHeaders = {}, cookies = [], body = '', isBase64Encoded = false } = parsed.data;
  const merged: Record<string, string[]> = {};
  const add = (name: string, value: string | number | boolean) => {
    const key = name.toLowerCase();
    (merged[key] ??= []).push(String(value));
  };
  for (const [name, value] of Object.entries(headers)) add(name, value);
  for (const [name, values] of Object.entries(multiValueHeaders)) for (const value of values) add(name, value);
  for (const cookie of cookies) add('set-cookie', cookie);
  const single = Object.fromEntries(
    Object.entries(merged).map(([name, values]) => [name, name === 'set-cookie' || values.length > 1 ? values : (values[0] ?? '')]),
  );
  return { statusCode, headers: single, body: Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8') };
}

export function jsonResponse(statusCode: number, payload: unknown): OutgoingResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(payload)),
  };
}
