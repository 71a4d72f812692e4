import { importJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { env } from '#shared/contract/wiring';
import { api, baseUrl, eventually, outbox, request, signIn, signInForTokens, startSignIn, submitLogin, uniqueEmail } from '#test/integration/client';

/**
 * Signing in to the console and what each role may do, on the real local runtime: the local
 * OIDC server's code + PKCE flow over HTTP, and the API verifying its ID tokens.
 */

const runtime = () => ({ url: baseUrl() });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

let admin: string;
let marketing: string;
let manager: string;

beforeAll(async () => {
  [admin, marketing, manager] = await Promise.all([
    signIn(runtime(), 'admin@example.com'),
    signIn(runtime(), 'marketing@example.com'),
    signIn(runtime(), 'manager@example.com'),
  ]);
});

/** A campaign with one detractor who answered (so one response, one case); returns its ids and the customer's address. */
const oneDetractor = async () => {
  const { id } = (await api('POST /v1/campaigns', { body: { name: 'Roles', brand: 'Acme', channel: 'email' } })).body;
  const customer = uniqueEmail('roles');
  await api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients: [{ email: customer, name: 'Rosa' }] } });
  const token = await eventually(async () => /\/s\/([^?"]+)\?score=/.exec((await outbox<{ html: string }>({ box: 'email', to: customer }))[0]?.html ?? '')?.[1], {
    what: 'the invitation e-mail',
  });
  await request('POST', `/s/${token}`, { body: { score: 2 }, auth: false });
  const followup = await eventually(async () => (await api('GET /v1/followups', { query: { campaignId: id } })).body.items[0], { what: 'the case' });
  return { campaignId: id, followupId: followup.id, customer };
};

describe('signing in to the local OIDC server', () => {
  it('gives an ID token shaped like a Cognito user pool’s', () => {
    const claims = claimsOf(manager);
    expect(claims).toMatchObject({
      iss: `${baseUrl()}/oidc`,
      aud: 'npsloop-console',
      email: 'manager@example.com',
      'cognito:groups': ['manager'],
      token_use: 'id',
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it('gives a refresh token, as Cognito does, that renews the ID token once (it rotates)', async () => {
    // GIVEN a manager signed in as the console does
    const { idToken, refreshToken } = await signInForTokens(runtime(), 'manager@example.com');
    expect(refreshToken).toBeDefined();
    const refresh = (token: string) =>
      fetch(`${baseUrl()}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: 'npsloop-console' }).toString(),
      });

    // WHEN the console renews with it
    const renewed = await refresh(refreshToken ?? '');
    const body = (await renewed.json()) as { id_token?: string; refresh_token?: string };

    // THEN it gets a new ID token for the same person and groups, which the API takes, and a new refresh token
    expect(renewed.status).toBe(200);
    expect(body.id_token).toBeDefined();
    expect(claimsOf(body.id_token ?? '')).toMatchObject({ email: 'manager@example.com', 'cognito:groups': ['manager'], token_use: 'id', sub: claimsOf(idToken).sub });
    expect((await api('GET /v1/me', { headers: bearer(body.id_token ?? '') })).body).toMatchObject({ email: 'manager@example.com', roles: ['manager'] });
    expect(body.refresh_token).toBeDefined();
    expect(body.refresh_token).not.toBe(refreshToken);
    // ... and the used refresh token is spent
    expect((await refresh(refreshToken ?? '')).status).toBe(400);
  });

  it('publishes its keys where Cognito does, and the runtime gives the API its issuer', async () => {
    const jwks = await request<{ keys: { kid: string; d?: string }[] }>('GET', '/oidc/.well-known/jwks.json', { auth: false });
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.map((key) => key.kid)).toContain(inject('oidcSigningKey').kid);
    expect(jwks.body.keys.every((key) => key.d === undefined)).toBe(true); // public halves only
    expect(inject('localEnv')).toMatchObject({ [env.oidcIssuer]: `${baseUrl()}/oidc`, [env.oidcClientId]: 'npsloop-console', [env.consoleUrl]: `${baseUrl()}/console/` });
  });

  it('answers a wrong password with a clear message on the login page, and no code', async () => {
    const attempt = await startSignIn(runtime());
    const login = await request('GET', attempt.loginUrl, { auth: false, headers: { cookie: attempt.jar.header(attempt.loginUrl) } });
    expect(login.text).toContain('<label for="password">Password</label>');

    const reply = await submitLogin(attempt, 'manager@example.com', 'not-the-password');
    const page = await reply.text();
    expect(reply.status).toBe(401);
    expect(reply.headers.get('location')).toBeNull();
    expect(page).toContain('The e-mail or password is not right.');
    expect(page).toContain('value="manager@example.com"');

    // and the same attempt still signs in with the right password
    const retried = await submitLogin(attempt, 'manager@example.com', 'local-dev-password');
    expect(retried.status).toBe(303);
  });

  it('shows the login page in Russian to a Russian browser', async () => {
    const attempt = await startSignIn(runtime());
    const login = await request('GET', attempt.loginUrl, { auth: false, headers: { cookie: attempt.jar.header(attempt.loginUrl), 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' } });
    expect(login.text).toContain('<html lang="ru"');
    expect(login.text).toContain('Пароль');
  });
});

describe('what each role may do', () => {
  it('tells a signed-in person who they are, and notes them among the users', async () => {
    const me = await api('GET /v1/me', { headers: bearer(marketing) });
    expect(me.body).toEqual({ email: 'marketing@example.com', roles: ['marketing'], via: 'token' });
    expect((await api('GET /v1/me')).body).toEqual({ roles: ['admin'], via: 'apiKey' });

    const users = (await api('GET /v1/users', { headers: bearer(manager) })).body.items.map((user) => user.email);
    expect(users).toEqual(expect.arrayContaining(['marketing@example.com', 'manager@example.com']));
    expect(users).toEqual([...users].sort());
  });

  it('lets a manager work cases, and refuses marketing with 403 naming the roles', async () => {
    const { campaignId, followupId } = await oneDetractor();

    expect((await api('GET /v1/followups', { query: { campaignId }, headers: bearer(manager) })).body.items).toHaveLength(1);

    const list = await request('GET', `/v1/followups?campaignId=${campaignId}`, { headers: bearer(marketing) });
    expect(list.status).toBe(403);
    expect(list.body).toEqual({ error: { code: 'forbidden', message: 'Only admin or manager may do this; you are marketing.' } });

    const patch = await request('PATCH', `/v1/followups/${followupId}`, { headers: bearer(marketing), body: { status: 'resolved' } });
    expect(patch.status).toBe(403);
    const unchanged = (await api('GET /v1/followups', { query: { campaignId }, headers: bearer(admin) })).body.items[0];
    expect(unchanged?.status).toBe('open');
  });

  it('shows marketing responses without the customers’ contact details, in JSON and CSV', async () => {
    const { campaignId, customer } = await oneDetractor();

    const forMarketing = await api('GET /v1/responses', { query: { campaignId }, headers: bearer(marketing) });
    expect(forMarketing.body.items).toHaveLength(1);
    expect(forMarketing.body.items[0]).not.toHaveProperty('contact');
    const csv = await request('GET', `/v1/responses?campaignId=${campaignId}&format=csv`, { headers: bearer(marketing) });
    expect(csv.status).toBe(200);
    expect(csv.text).not.toContain(customer);
    expect(csv.text).not.toContain('Rosa');

    const forManager = await api('GET /v1/responses', { query: { campaignId }, headers: bearer(manager) });
    expect(forManager.body.items[0]?.contact).toMatchObject({ email: customer, name: 'Rosa' });
  });

  it('keeps the API key working as an admin', async () => {
    expect((await request('DELETE', '/v1/contacts', { body: { email: uniqueEmail('gone') } })).status).toBe(200);
    expect((await request('DELETE', '/v1/contacts', { headers: bearer(manager), body: { email: uniqueEmail('gone') } })).status).toBe(403);
  });
});

describe('a credential the API refuses', () => {
  const refused = async (headers: Record<string, string>) => {
    const reply = await request<{ error: { code: string; message: string } }>('GET', '/v1/score', { auth: false, headers });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    expect(reply.body.error.code).toBe('unauthorized');
    return reply.body.error.message;
  };

  /** A token the local server might have issued, signed with its real key; `changes` make it wrong. */
  const minted = async (changes: { exp?: number; aud?: string }) => {
    const key = inject('oidcSigningKey');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ email: 'admin@example.com', 'cognito:groups': ['admin'], token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid ?? '' })
      .setSubject('someone')
      .setIssuer(`${baseUrl()}/oidc`)
      .setAudience(changes.aud ?? 'npsloop-console')
      .setIssuedAt(now - 7200)
      .setExpirationTime(changes.exp ?? now + 3600)
      .sign(await importJWK(key, 'RS256'));
  };

  it('no token', async () => {
    expect(await refused({})).toMatch(/Sign in first/);
  });

  it('a token with a changed payload', async () => {
    const [head, payload, signature] = marketing.split('.');
    const claims = Buffer.from(payload ?? '', 'base64url').toString();
    const forged = Buffer.from(claims.replace('"marketing"', '"admin____"')).toString('base64url');
    expect(forged).not.toBe(payload);
    expect(await refused(bearer(`${head}.${forged}.${signature}`))).toMatch(/Sign in again/);
  });

  it('an expired token, saying it expired', async () => {
    const expired = await minted({ exp: Math.floor(Date.now() / 1000) - 60 });
    expect(await refused(bearer(expired))).toBe('Your sign-in has expired. Sign in again.');
  });

  it('a token for another audience', async () => {
    expect(await refused(bearer(await minted({ aud: 'another-app' })))).toMatch(/Sign in again/);
  });

  it('while the same key makes a valid token that works (the refusals above are for what changed)', async () => {
    expect((await request('GET', '/v1/score', { auth: false, headers: bearer(await minted({})) })).status).toBe(200);
  });
});
