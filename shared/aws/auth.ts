/**
 * Who is calling an admin route, and whether their role lets them. A caller shows
 * `Authorization: Bearer <credential>`: either the API key (the CLI, integrations; it acts as an
 * admin) or a signed-in person's ID token from the identity provider (a Cognito user pool on
 * AWS, the local OIDC server under `npm start`), verified the same way in both places against
 * the issuer's keys at `<issuer>/.well-known/jwks.json`. The person's roles are their
 * `cognito:groups`; each route's roles (shared/contract/api.ts) decide, and an admin may do
 * everything.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwtBaseError, JwtExpiredError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { Role } from '#shared/core/vocabulary';
import { DomainError } from '#shared/core/errors';
import { header, type HttpEvent, type HttpMiddleware } from '#shared/aws/http';

export type Principal =
  | { readonly kind: 'user'; readonly email: string; readonly sub: string; readonly roles: readonly Role[] }
  | { readonly kind: 'apiKey'; readonly roles: readonly Role[] };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

const principals = new WeakMap<HttpEvent, Principal>();

/** Set by the auth middleware once it has verified the caller. */
export const setPrincipal = (event: HttpEvent, principal: Principal): void => {
  principals.set(event, principal);
};

/** The verified caller of this request; the API key when no middleware set one (tests calling a route directly). */
export const principalOf = (event: HttpEvent): Principal => principals.get(event) ?? { kind: 'apiKey', roles: ['admin'] };

/** How the timeline names who did something: the user's e-mail address, or `api key`. */
export const actorOf = (event: HttpEvent): string => {
  const principal = principalOf(event);
  return principal.kind === 'user' ? principal.email : 'api key';
};

/** Whether the caller holds one of `roles`; an admin holds every role. */
export const hasRole = (principal: Principal, roles: readonly Role[]): boolean =>
  principal.roles.includes('admin') || principal.roles.some((role) => roles.includes(role));

/** The identity provider whose ID tokens the API accepts: its issuer URL and the console's client id (the tokens' audience). */
export interface IdentityProvider {
  readonly issuer: string;
  readonly clientId: string;
}

export interface AuthOptions {
  readonly apiKey: () => Promise<string>;
  /** Undefined: no identity provider is configured, and only the API key is accepted. */
  readonly identityProvider: IdentityProvider | undefined;
  /** Every route by its key, with the roles that may call it; a route without roles is public. */
  readonly routes: Readonly<Record<string, { readonly [part: string]: unknown; readonly roles?: readonly Role[] }>>;
  /** Called for each request of a verified person, before the role check (who has signed in). */
  readonly seen?: (user: UserPrincipal) => Promise<void>;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

const signInAgain = 'Sign in again';
const unauthorized = (message: string) => new DomainError('unauthorized', message);

/**
 * The issuer's keys, fetched with the runtime's own `fetch`: aws-jwt-verify's Node fetcher speaks
 * only https, and the local issuer is http on the API's own port. Same code on AWS (https).
 */
const jwksFetcher: Fetcher = {
  fetch: async (uri) => {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new NonRetryableFetchError(uri, `Status code is ${response.status}, expected 200`);
    return response.arrayBuffer();
  },
};

type Verifier = { verify(token: string): Promise<JwtPayload> };
const verifiers = new Map<string, Verifier>();

/** One verifier per issuer and audience, kept for the container's life: it fetches the JWKS once and caches it. */
const verifierFor = ({ issuer, clientId }: IdentityProvider): Verifier => {
  const key = `${issuer}|${clientId}`;
  let verifier = verifiers.get(key);
  if (!verifier) {
    verifier = JwtVerifier.create(
      { issuer, audience: clientId, jwksUri: `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json` },
      { jwksCache: new SimpleJwksCache({ fetcher: jwksFetcher }) },
    );
    verifiers.set(key, verifier);
  }
  return verifier;
};

/**
 * The person an ID token names, once its signature, issuer, audience and expiry are verified.
 * A token that says what it is must say it is an ID token (Cognito's access tokens carry the
 * same groups but no e-mail, and are for other audiences). Unknown groups are ignored.
 */
export const verifyIdToken = async (token: string, provider: IdentityProvider): Promise<UserPrincipal> => {
  let payload: JwtPayload;
  try {
    payload = await verifierFor(provider).verify(token);
  } catch (error) {
    if (error instanceof JwtExpiredError) throw unauthorized(`Your sign-in has expired. ${signInAgain}.`);
    if (error instanceof JwtBaseError && !(error instanceof FetchError)) {
      throw unauthorized(`Your sign-in could not be verified. ${signInAgain}.`);
    }
    throw error; // the issuer's keys could not be fetched: our side, not the caller's
  }
  if (payload.token_use !== undefined && payload.token_use !== 'id') throw unauthorized(`That is not an ID token. ${signInAgain}.`);
  const email = typeof payload.email === 'string' ? payload.email : undefined;
  if (!email || typeof payload.sub !== 'string') throw unauthorized(`Your sign-in does not name an e-mail address. ${signInAgain}.`);
  const groups = Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'] : [];
  const roles = Role.options.filter((role) => groups.includes(role));
  return { kind: 'user', email, sub: payload.sub, roles };
};

const looksLikeJwt = (value: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(value);

const listRoles = (roles: readonly Role[]): string => roles.join(' or ');

/**
 * Admin routes accept the API key or a signed-in person's ID token, then check the route's roles:
 * no or a bad credential is a 401 that says to sign in again; a role that may not is a 403 that
 * names the roles that may and the caller's own. The API key compare is constant-time.
 */
export const authorize = (options: AuthOptions): HttpMiddleware => ({
  before: async (request) => {
    const { event } = request;
    const allowed = options.routes[event.routeKey]?.roles;
    if (!allowed) return;
    const given = /^Bearer\s+(.+)$/i.exec(header(event, 'authorization') ?? '')?.[1]?.trim() ?? '';
    if (given === '') throw unauthorized('Sign in first, or send the API key as "Authorization: Bearer <key>".');
    const isApiKey = timingSafeEqual(digest(given), digest(await options.apiKey()));
    let principal: Principal;
    if (isApiKey) principal = { kind: 'apiKey', roles: ['admin'] };
    else if (options.identityProvider && looksLikeJwt(given)) {
      principal = await verifyIdToken(given, options.identityProvider);
      await options.seen?.(principal);
    } else throw unauthorized(`The API key or sign-in is not valid. ${signInAgain}, or check the key.`);
    if (!hasRole(principal, allowed)) {
      const yours = principal.roles.length === 0 ? 'your account has no role yet (ask an admin to add you to a group)' : `you are ${listRoles(principal.roles)}`;
      throw new DomainError('forbidden', `Only ${listRoles(allowed)} may do this; ${yours}.`);
    }
    setPrincipal(event, principal);
  },
});
