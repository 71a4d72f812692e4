/**
 * Who is calling an admin route. STUB (issue 11): the auth middleware that verifies the API key
 * or the identity provider's ID token, and enforces each route's roles, fills this in.
 */
import type { Role } from '#shared/contract/fields';
import type { HttpEvent } from '#shared/aws/http';

export type Principal =
  | { readonly kind: 'user'; readonly email: string; readonly sub: string; readonly roles: readonly Role[] }
  | { readonly kind: 'apiKey'; readonly roles: readonly Role[] };

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
