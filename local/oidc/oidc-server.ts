/**
 * The local identity provider `npm start` runs in Cognito's place: a real OpenID Connect server
 * (oidc-provider) mounted under `/oidc/` on the runtime's own port, so the console, the API and
 * the sign-in share one origin. It serves the authorization code flow with PKCE to one public
 * client (the console), signs ID tokens that carry the claims a Cognito user pool's do (`email`,
 * `cognito:groups`, `token_use: 'id'`, one hour), and publishes its keys at
 * `<issuer>/.well-known/jwks.json`, where Cognito publishes a pool's, so the API verifies both
 * with the same code, knowing only the issuer.
 *
 * Why not cognito-local: its 5.3.0 package (lib/oauth2/routes.js, lib/server/server.js) does
 * serve `/oauth2/authorize` and `/oauth2/token` with S256 PKCE, but its discovery document names
 * no authorization or token endpoint and hard-codes `http://localhost:9229` as issuer and JWKS
 * host, it signs every token with a private key shipped inside the package, its routes sit at
 * the server's root (so it cannot live under `/oidc/` on our port), and its English-only form
 * puts request parameters into the HTML unescaped. oidc-client-ts needs the discovery document.
 *
 * Nothing persists between runs: accounts, sessions and grants live in memory, and a fresh RSA
 * key is made at every start, so tokens from an earlier run are refused.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Role } from '#shared/core/vocabulary';
import type { LocalMount } from '../http/host.ts';
import { errorPage, loginPage, logoutPage, readerLocale, type LoginProblem } from './pages.ts';

export const localClientId = 'npsloop-console';
export const localDefaultPassword = 'local-dev-password';
export const oidcPrefix = '/oidc/';
/** Cognito's default ID token lifetime. */
export const idTokenSeconds = 3600;
/** How long the console's refresh token lasts, as the stack sets it on the user pool client. */
export const refreshTokenSeconds = 30 * 24 * 3600;

/** The seeded accounts: one per role, each in the group of the same name. */
export const localAccounts: readonly { readonly email: string; readonly group: Role }[] = [
  { email: 'admin@example.com', group: 'admin' },
  { email: 'marketing@example.com', group: 'marketing' },
  { email: 'manager@example.com', group: 'manager' },
];

export interface LocalOidcOptions {
  /** The runtime's URL, e.g. http://localhost:3000; the issuer is `<url>/oidc`. */
  readonly url: string;
  readonly password: string;
}

export interface LocalOidc {
  readonly issuer: string;
  readonly clientId: string;
  /** Where the console is served; its sign-in and sign-out both return there. */
  readonly consoleUrl: string;
  /** The private signing key (JWK, with its `kid`): tests mint tokens the API must refuse, e.g. expired ones. */
  readonly signingKey: JWK;
  readonly mount: LocalMount;
}

const interactionPath = `${oidcPrefix}interaction/`;
const maxFormBytes = 16 * 1024;

export async function createLocalOidc(options: LocalOidcOptions): Promise<LocalOidc> {
  const issuer = `${options.url}/oidc`;
  const consoleUrl = `${options.url}/console/`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey: JWK = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  // Like a user pool's `sub`: a UUID per user (fresh each run, as the accounts are).
  const accounts = localAccounts.map((account) => ({ ...account, sub: randomUUID() }));

  const configuration: Configuration = {
    clients: [
      {
        client_id: localClientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [consoleUrl],
        post_logout_redirect_uris: [consoleUrl],
        response_types: ['code'],
        // Cognito gives the console a refresh token with every sign-in; the console renews its ID token with it.
        grant_types: ['authorization_code', 'refresh_token'],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    // Cognito's `openid` scope puts every readable attribute in the ID token; so does this.
    claims: { openid: ['sub', 'email', 'email_verified', 'cognito:groups', 'token_use'] },
    // Cognito puts them in the ID token of the code flow; oidc-provider would keep them for userinfo.
    conformIdTokenClaims: false,
    adapter: createMemoryAdapter(),
    // Tokens last an hour, as Cognito's do by default; a sign-in page stays usable for an hour, a session for two weeks.
    ttl: {
      IdToken: idTokenSeconds,
      AccessToken: idTokenSeconds,
      RefreshToken: refreshTokenSeconds,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    // Cognito issues a refresh token without the `offline_access` scope; so does this (each use rotates it, as the stack's client does).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    routes: { jwks: '/.well-known/jwks.json' },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = logoutPage(readerLocale(ctx.get('accept-language')), form);
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${interactionPath}${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.find((a) => a.sub === sub);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        claims: (use) => ({
          sub: account.sub,
          email: account.email,
          email_verified: true,
          'cognito:groups': [account.group],
          ...(use === 'id_token' ? { token_use: 'id' } : {}),
        }),
      };
    },
    // The console is the provider's own first-party client: what it asks for is granted, no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { provider, session, client } = ctx.oidc;
      if (!session?.accountId || !client) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return provider.Grant.find(existing);
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope([...(ctx.oidc.requestParamScopes ?? new Set(['openid']))].join(' '));
      await grant.save();
      return grant;
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(readerLocale(ctx.get('accept-language')), { description: out.error_description ?? out.error });
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const serveLogin = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const locale = readerLocale(request.headers['accept-language']);
    const page = (status: number, body: string) => {
      response.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      });
      response.end(body);
    };
    // An old tab, a second submit or a lost cookie: the sign-in it belonged to is over.
    const details = await provider.interactionDetails(request, response).catch((error: unknown) => {
      if (error instanceof errors.OIDCProviderError) return undefined;
      throw error;
    });
    if (!details) return page(400, errorPage(locale, 'expired'));
    const action = `${interactionPath}${details.uid}`;
    if (request.method !== 'POST') return page(200, loginPage({ locale, action }));
    const form = new URLSearchParams(await readForm(request));
    const email = (form.get('email') ?? '').trim();
    const password = form.get('password') ?? '';
    const refuse = (status: number, problem: LoginProblem) => page(status, loginPage({ locale, action, email, problem }));
    if (email === '' || password === '') return refuse(400, 'missing');
    const account = accounts.find((a) => a.email === email.toLowerCase());
    if (!account || password !== options.password) return refuse(401, 'wrong');
    await provider.interactionFinished(request, response, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  };

  const mount: LocalMount = {
    prefix: oidcPrefix,
    handle: async (request, response) => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      if (path.startsWith(interactionPath)) return serveLogin(request, response);
      // oidc-provider answers paths relative to its mount and finds the mount from originalUrl.
      Object.assign(request, { originalUrl: request.url });
      request.url = (request.url ?? '/').slice(oidcPrefix.length - 1);
      await callback(request, response);
    },
  };

  return { issuer, clientId: localClientId, consoleUrl, signingKey, mount };
}

async function readForm(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > maxFormBytes) throw new Error('Sign-in form too large');
  }
  return body;
}
