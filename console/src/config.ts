/**
 * Where the console signs in, read from `config.json` beside it: one build runs locally and on AWS.
 * `npm start` gives the issuer and the client; the stack (infra/console-sign-in.ts) adds what Cognito
 * needs besides: its scopes, its end-session endpoint (not in its discovery document) and its own
 * `/logout` address, which takes `client_id` and `logout_uri` rather than the standard parameters.
 */
import * as z from 'zod';

export const ConsoleConfig = z.object({
  issuer: z.url(),
  clientId: z.string().min(1),
  redirectUri: z.url().optional(),
  postLogoutRedirectUri: z.url().optional(),
  scope: z.string().min(1).optional(),
  metadataSeed: z.record(z.string(), z.string()).optional(),
  /** Where signing out ends, when the provider's sign-out is not the standard end-session request. */
  logoutUrl: z.url().optional(),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;

export const loadConfig = async (): Promise<ConsoleConfig> => {
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return ConsoleConfig.parse(await response.json());
};
