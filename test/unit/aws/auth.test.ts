import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { authorize, principalOf, type AuthOptions, type UserPrincipal } from '#shared/aws/auth';
import { httpErrors, type HttpEvent, type HttpResult } from '#shared/aws/http';
import { DomainError } from '#shared/core/errors';
import { context, httpEvent } from '#test/fixtures/http-event';

// An issuer of our own: a key pair, its JWKS served over http as Cognito serves a pool's.
const CLIENT_ID = 'npsloop-console';
const API_KEY = 'unit-test-key';
let server: Server;
let issuer: string;
let signingKey: CryptoKey;
let kid: string;
let jwksRequests = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  kid = 'unit-key';
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  server = createServer((request, response) => {
    if (request.url === '/pool/.well-known/jwks.json') {
      jwksRequests++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An ID token as Cognito (and the local OIDC server) issues it, with `changes` applied. */
const idToken = (groups: unknown, changes: JWTPayload = {}, key: CryptoKey = signingKey): Promise<string> =>
  new SignJWT({ sub: 'user-1', email: 'ann@example.com', 'cognito:groups': groups, token_use: 'id', ...changes })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(typeof changes.iss === 'string' ? changes.iss : issuer)
    .setAudience(changes.aud ?? CLIENT_ID)
    .setIssuedAt()
    .setExpirationTime(typeof changes.exp === 'number' ? changes.exp : nowSeconds() + 3600)
    .sign(key);

const routes: AuthOptions['routes'] = {
  'GET /health': {},
  'GET /v1/followups': { roles: ['admin', 'manager'] },
  'GET /v1/score': { roles: ['admin', 'marketing', 'manager'] },
  'DELETE /v1/contacts': { roles: ['admin'] },
};

const seen = vi.fn<(user: UserPrincipal) => Promise<void>>();
beforeEach(() => {
  seen.mockReset().mockResolvedValue(undefined);
});

/** Runs the middleware as middy would, then the error mapping, and answers what the caller would get. */
const call = async (routeKey: string, authorization?: string, options: Partial<AuthOptions> = {}) => {
  const event = httpEvent(routeKey, { headers: authorization === undefined ? {} : { authorization } });
  const middleware = authorize({ apiKey: async () => API_KEY, identityProvider: { issuer, clientId: CLIENT_ID }, routes, seen, ...options });
  const request: Request<HttpEvent, HttpResult, Error, Context> = { event, context, response: undefined, error: undefined, internal: {} };
  try {
    await middleware.before?.(request);
    return { status: 200, principal: principalOf(event), headers: {}, body: undefined };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    request.error = error;
    await httpErrors().onError?.(request);
    const body = JSON.parse(String(request.response?.body)) as { error: { code: string; message: string } };
    return { status: request.response?.statusCode, principal: undefined, headers: request.response?.headers ?? {}, body };
  }
};

describe('who may call an admin route', () => {
  it('lets anyone call a public route', async () => {
    expect((await call('GET /health')).status).toBe(200);
  });

  it('accepts the API key as an admin, without noting a user', async () => {
    const res = await call('DELETE /v1/contacts', `Bearer ${API_KEY}`);
    expect(res).toMatchObject({ status: 200, principal: { kind: 'apiKey', roles: ['admin'] } });
    expect(seen).not.toHaveBeenCalled();
  });

  it("accepts a manager's ID token on a caseworkers' route and notes who it is", async () => {
    const res = await call('GET /v1/followups', `Bearer ${await idToken(['manager'])}`);
    expect(res).toMatchObject({ status: 200, principal: { kind: 'user', email: 'ann@example.com', sub: 'user-1', roles: ['manager'] } });
    expect(seen).toHaveBeenCalledWith({ kind: 'user', email: 'ann@example.com', sub: 'user-1', roles: ['manager'] });
  });

  it('lets an admin do everything', async () => {
    expect((await call('DELETE /v1/contacts', `Bearer ${await idToken(['admin'])}`)).status).toBe(200);
    expect((await call('GET /v1/followups', `Bearer ${await idToken(['admin'])}`)).status).toBe(200);
  });

  it('refuses marketing on a caseworkers route with a 403 naming the roles that may and theirs', async () => {
    const res = await call('GET /v1/followups', `Bearer ${await idToken(['marketing'])}`);
    expect(res.status).toBe(403);
    expect(res.body?.error).toEqual({ code: 'forbidden', message: 'Only admin or manager may do this; you are marketing.' });
  });

  it('ignores groups that are not roles, and says so when none is left', async () => {
    const ok = await call('GET /v1/score', `Bearer ${await idToken(['marketing', 'beta-testers'])}`);
    expect(ok.principal?.roles).toEqual(['marketing']);
    const res = await call('GET /v1/score', `Bearer ${await idToken(['beta-testers'])}`);
    expect(res.status).toBe(403);
    expect(res.body?.error.message).toMatch(/no role yet/);
  });

  it('treats a token without groups as a person with no role', async () => {
    const res = await call('GET /v1/score', `Bearer ${await idToken(undefined)}`);
    expect(res.status).toBe(403);
  });
});

describe('a credential the API refuses with 401', () => {
  const refused = async (authorization: string | undefined, options: Partial<AuthOptions> = {}) => {
    const res = await call('GET /v1/score', authorization, options);
    expect(res.status).toBe(401);
    expect(res.headers).toMatchObject({ 'www-authenticate': 'Bearer' });
    expect(res.body?.error.code).toBe('unauthorized');
    expect(seen).not.toHaveBeenCalled();
    return res.body?.error.message ?? '';
  };

  it('no Authorization header', async () => {
    expect(await refused(undefined)).toMatch(/Sign in first, or send the API key/);
  });

  it('a wrong API key', async () => {
    expect(await refused('Bearer not-the-key')).toMatch(/not valid/);
  });

  it('an expired token, saying it expired', async () => {
    expect(await refused(`Bearer ${await idToken(['admin'], { exp: nowSeconds() - 60 })}`)).toBe('Your sign-in has expired. Sign in again.');
  });

  it('a token whose payload was changed after signing', async () => {
    const [head, payload, signature] = (await idToken(['marketing'])).split('.');
    const forged = Buffer.from(Buffer.from(payload ?? '', 'base64url').toString().replace('marketing', 'admin____')).toString('base64url');
    expect(await refused(`Bearer ${head}.${forged}.${signature}`)).toMatch(/could not be verified\. Sign in again/);
  });

  it('a token signed by another key', async () => {
    const stranger = (await generateKeyPair('RS256')).privateKey;
    expect(await refused(`Bearer ${await idToken(['admin'], {}, stranger)}`)).toMatch(/Sign in again/);
  });

  it('a token for another audience', async () => {
    expect(await refused(`Bearer ${await idToken(['admin'], { aud: 'another-app' })}`)).toMatch(/Sign in again/);
  });

  it('a token from another issuer', async () => {
    expect(await refused(`Bearer ${await idToken(['admin'], { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other' })}`)).toMatch(/Sign in again/);
  });

  it('an access token (token_use "access")', async () => {
    expect(await refused(`Bearer ${await idToken(['admin'], { token_use: 'access' })}`)).toMatch(/not an ID token/);
  });

  it('a garbled token', async () => {
    expect(await refused('Bearer abc.def.ghi')).toMatch(/Sign in again/);
  });

  it('any token when no identity provider is configured (API key only)', async () => {
    expect(await refused(`Bearer ${await idToken(['admin'])}`, { identityProvider: undefined })).toMatch(/not valid/);
  });
});

describe('the issuer keys', () => {
  it('are fetched once and reused for later tokens', async () => {
    // A fresh verifier: another audience, so nothing is cached yet.
    const provider = { issuer, clientId: 'fresh-client' };
    const before = jwksRequests;
    for (let i = 0; i < 3; i++) {
      const res = await call('GET /v1/score', `Bearer ${await idToken(['manager'], { aud: 'fresh-client' })}`, { identityProvider: provider });
      expect(res.status).toBe(200);
    }
    expect(jwksRequests - before).toBe(1);
  });
});
