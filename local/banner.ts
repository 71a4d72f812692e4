/** What `npm start` prints once the pipeline is ready: where everything is, and the first step. */

export interface BannerFacts {
  readonly url: string;
  readonly apiKey: string;
  /** Whether the key came from NPSLOOP_API_KEY (else it is the local default). */
  readonly apiKeyWasSet: boolean;
  /** The console's local accounts, one per role, and their shared password. */
  readonly signIns: { readonly emails: readonly string[]; readonly password: string };
  /** Whether the password came from NPSLOOP_LOCAL_PASSWORD (else it is the local default). */
  readonly passwordWasSet: boolean;
  /** The local OIDC server's issuer, e.g. http://localhost:3000/oidc. */
  readonly issuer: string;
  readonly sesViewerUrl: string;
  readonly smsFrom: string;
  /** The local-only routes, e.g. `GET /local/outbox/email`. */
  readonly localRoutes: readonly string[];
}

export const startBanner = (facts: BannerFacts): string => {
  const outboxes = facts.localRoutes.filter((route) => route.startsWith('GET ')).map((route) => `${facts.url}${route.slice(4)}`);
  const simulations = facts.localRoutes.filter((route) => route.startsWith('POST ')).map((route) => `POST ${facts.url}${route.slice(5)}`);
  return [
    '',
    `npsloop is running at ${facts.url}  (GET /health)`,
    `  API key   ${facts.apiKey}${facts.apiKeyWasSet ? '' : '  (the local default; set NPSLOOP_API_KEY to choose another)'}`,
    // Printed like the API key, even when the user chose it: it is a local, throwaway password.
    `  Sign in   ${facts.signIns.emails.join(', ')}`,
    `            password ${facts.signIns.password}${facts.passwordWasSet ? '' : '  (the local default; set NPSLOOP_LOCAL_PASSWORD to choose another)'}`,
    `            (local OIDC server, issuer ${facts.issuer})`,
    // The viewer renders each e-mail in its own iframe, and Chromium stops creating frames at 1,000 per page.
    `  Emails    ${facts.sesViewerUrl}  (SES emulator viewer, for the first 1,000 e-mails;`,
    `            after a large import read ${facts.url}/local/outbox/email?to=<address> instead)`,
    `  SMS from  ${facts.smsFrom}  (replies: POST /local/sms/inbound {"from":"+12025550123","body":"9"})`,
    ...outboxes.map((url, index) => `  ${index === 0 ? 'Outboxes ' : '         '} ${url}`),
    ...simulations.map((request, index) => `  ${index === 0 ? 'Simulate ' : '         '} ${request}`),
    '',
    'Next: create a campaign, then follow "Try it" in README.md:',
    `  curl -s -X POST ${facts.url}/v1/campaigns -H "Authorization: Bearer ${facts.apiKey}" -H 'content-type: application/json' \\`,
    `    -d '{"name":"Checkout survey","brand":"Acme","channel":"email"}'`,
    '',
    'Ctrl-C to stop.',
    '',
  ].join('\n');
};
