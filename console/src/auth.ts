/**
 * Signing in with OIDC (authorization code + PKCE) through oidc-client-ts: the identity provider's
 * login page, then back to `/console/` with a code the library exchanges for tokens. The session
 * lives in sessionStorage (gone with the tab); no secret is kept in the browser. The page the person
 * was on travels in the request's state, so signing in again after a session ends returns there.
 *
 * The ID token lasts an hour. A minute before it ends, oidc-client-ts renews it with the refresh
 * token the sign-in brought (Cognito's and the local server's, rotated on each use), so a manager
 * working all day is never sent back to the sign-in page; a tab that slept past the hour renews
 * on waking, or at its next call the API refuses.
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import * as z from 'zod';
import type { ConsoleConfig } from './config.ts';

const ReturnState = z.object({ returnTo: z.string().startsWith('#/') }).partial();

export interface Auth {
  /** The signed-in user with an unexpired session, if any (renewed first if it has just expired). */
  current(): Promise<User | null>;
  /** A fresh ID token from the refresh token, or null when the session cannot be renewed. */
  renew(): Promise<string | null>;
  /** Called with each new ID token the renewal brings. */
  onRenewed(listener: (idToken: string) => void): void;
  /** Completes a sign-in if this page load is the identity provider's redirect back; throws what it answered. */
  completeIfReturning(): Promise<void>;
  signIn(returnTo?: string): Promise<void>;
  signOut(): Promise<void>;
}

export const createAuth = (config: ConsoleConfig): Auth => {
  const home = new URL('./', document.baseURI);
  const manager = new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: config.redirectUri ?? home.href,
    post_logout_redirect_uri: config.postLogoutRedirectUri ?? home.href,
    response_type: 'code',
    // The ID token then carries the e-mail and the groups, on Cognito and on the local server.
    scope: config.scope ?? 'openid email',
    ...(config.metadataSeed ? { metadataSeed: config.metadataSeed } : {}),
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    loadUserInfo: false,
    automaticSilentRenew: true,
  });
  const url = () => new URL(location.href);
  let renewing: Promise<string | null> | undefined;
  const renew = (): Promise<string | null> =>
    // Several calls refused at once share one renewal: a rotated refresh token works only once.
    (renewing ??= manager
      .signinSilent()
      .then((user) => user?.id_token ?? null)
      .catch(() => null)
      .finally(() => {
        renewing = undefined;
      }));

  return {
    async current() {
      const user = await manager.getUser();
      if (user && !user.expired && user.id_token) return user;
      if (!user?.refresh_token) return null;
      return (await renew()) ? manager.getUser() : null;
    },
    renew,
    onRenewed(listener) {
      manager.events.addUserLoaded((user) => {
        if (user.id_token) listener(user.id_token);
      });
    },
    async completeIfReturning() {
      const params = url().searchParams;
      if (!params.has('state') || !(params.has('code') || params.has('error'))) return;
      try {
        const user = await manager.signinRedirectCallback();
        const state = ReturnState.safeParse(user.state);
        history.replaceState(null, '', `${home.pathname}${(state.success && state.data.returnTo) || '#/'}`);
      } catch (error) {
        history.replaceState(null, '', `${home.pathname}${url().hash}`);
        throw error;
      }
    },
    async signIn(returnTo = location.hash) {
      await manager.signinRedirect({ state: ReturnState.parse({ returnTo: returnTo.startsWith('#/') ? returnTo : undefined }) });
    },
    async signOut() {
      const user = await manager.getUser();
      await manager.removeUser();
      // Cognito signs out at its own /logout address; a standard provider at its end-session endpoint.
      if (config.logoutUrl) return location.assign(config.logoutUrl);
      const metadata = await manager.metadataService.getMetadata().catch(() => undefined);
      if (metadata?.end_session_endpoint && user?.id_token) return manager.signoutRedirect({ id_token_hint: user.id_token });
      location.assign(home.href);
    },
  };
};
