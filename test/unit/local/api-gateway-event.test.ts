import { describe, expect, it } from 'vitest';
import { toApiGatewayEvent, toHttpResponse, type IncomingRequest } from '#local/http/api-gateway-event';

const request = (overrides: Partial<IncomingRequest> = {}): IncomingRequest => ({
  method: 'POST',
  url: '/s/tok%2Fen?score=9&tag=a&tag=b',
  rawHeaders: ['Host', 'localhost:3000', 'Content-Type', 'application/json', 'X-Multi', 'one', 'X-Multi', 'two', 'Cookie', 'a=1; b=2', 'User-Agent', 'curl/8'],
  body: Buffer.from('{"score":9}'),
  sourceIp: '127.0.0.1',
  port: 3000,
  ...overrides,
});
const match = { routeKey: 'POST /s/{token}', target: undefined, pathParameters: { token: 'tok/en' } };
const identity = { requestId: 'req-1', timeEpoch: Date.UTC(2026, 2, 5, 7, 8, 9) };

describe('API Gateway payload 2.0 event', () => {
  it('carries the route, raw path and query, decoded parameters and a request context', () => {
    const event = toApiGatewayEvent(request(), match, identity);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /s/{token}',
      rawPath: '/s/tok%2Fen',
      rawQueryString: 'score=9&tag=a&tag=b',
      queryStringParameters: { score: '9', tag: 'a,b' },
      pathParameters: { token: 'tok/en' },
      requestContext: {
        http: { method: 'POST', path: '/s/tok%2Fen', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8' },
        requestId: 'req-1',
        routeKey: 'POST /s/{token}',
        stage: '$default',
        domainName: 'localhost:3000',
        time: '05/Mar/2026:07:08:09 +0000',
        timeEpoch: identity.timeEpoch,
      },
      body: '{"score":9}',
      isBase64Encoded: false,
    });
  });

  it('keeps query parameters and headers named like built-in object properties as sent', () => {
    const event = toApiGatewayEvent(
      request({ url: '/s/x?constructor=1&__proto__=2&toString=3', rawHeaders: ['Constructor', 'a', '__proto__', 'b'] }),
      match,
      identity,
    );
    expect(Object.entries(event.queryStringParameters ?? {})).toEqual([
      ['constructor', '1'],
      ['__proto__', '2'],
      ['toString', '3'],
    ]);
    expect(Object.hasOwn(event.headers, 'constructor') && event.headers.constructor).toBe('a');
    expect(Object.hasOwn(event.headers, '__proto__') && event.headers.__proto__).toBe('b');
  });

  it('lower-cases headers, joins repeats with commas and moves cookies to their own list', () => {
    const event = toApiGatewayEvent(request(), match, identity);
    expect(event.headers).toMatchObject({ host: 'localhost:3000', 'content-type': 'application/json', 'x-multi': 'one,two' });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['a=1', 'b=2']);
  });

  it('passes form bodies as text and binary bodies as base64', () => {
    const form = toApiGatewayEvent(
      request({ rawHeaders: ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'], body: Buffer.from('score=3') }),
      match,
      identity,
    );
    expect(form).toMatchObject({ body: 'score=3', isBase64Encoded: false });
    const binary = toApiGatewayEvent(request({ rawHeaders: ['Content-Type', 'image/png'], body: Buffer.from([0, 255]) }), match, identity);
    expect(binary).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
  });

  it('omits the body, query and path parameters when there are none', () => {
    const event = toApiGatewayEvent(request({ method: 'GET', url: '/health', body: Buffer.alloc(0) }), { ...match, pathParameters: {} }, identity);
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event.isBase64Encoded).toBe(false);
  });
});

describe('HTTP response from a function result', () => {
  it('writes status, headers, cookies and a text body', () => {
    const response = toHttpResponse({
      statusCode: 201,
      headers: { 'Content-Type': 'text/html', 'X-Count': 3 },
      multiValueHeaders: { Vary: ['Accept', 'Cookie'] },
      cookies: ['a=1; HttpOnly', 'b=2'],
      body: '<p>ok</p>',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual({ 'content-type': 'text/html', 'x-count': '3', vary: ['Accept', 'Cookie'], 'set-cookie': ['a=1; HttpOnly', 'b=2'] });
    expect(response.body.toString()).toBe('<p>ok</p>');
  });

  it('decodes a base64 body', () => {
    expect(toHttpResponse({ statusCode: 200, body: 'AP8=', isBase64Encoded: true }).body).toEqual(Buffer.from([0, 255]));
  });

  it('infers a 200 JSON response from a result without statusCode', () => {
    const response = toHttpResponse({ status: 'ok' });
    expect(response).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(response.body.toString())).toEqual({ status: 'ok' });
  });

  it('answers 500 for a malformed response', () => {
    expect(toHttpResponse({ statusCode: 'two hundred' }).statusCode).toBe(500);
  });
});
