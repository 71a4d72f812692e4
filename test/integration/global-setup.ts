import type { JWK } from 'jose';
import type { TestProject } from 'vitest/node';
import { startRuntime } from '#local/runtime';

/**
 * Starts the embedded local runtime once for the integration suite (the same runtime as
 * `npm start`, on a free port, schedules every second) and hands tests its URL, API key,
 * environment and the local OIDC server's signing key.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** The runtime's API, e.g. http://localhost:41234. */
    baseUrl: string;
    apiKey: string;
    /** What the handlers see: AWS_ENDPOINT_URL_* for every service, credentials, app config. */
    localEnv: Record<string, string>;
    /** The local OIDC server's private signing key, to mint tokens the API must refuse (an expired one). */
    oidcSigningKey: JWK;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Schedules run every second, so a test never waits a minute for the next scheduled run.
  const runtime = await startRuntime({ port: 0, quiet: true, scheduleIntervalMs: 1000 });
  project.provide('baseUrl', runtime.url);
  project.provide('apiKey', runtime.apiKey);
  project.provide('localEnv', { ...runtime.env });
  project.provide('oidcSigningKey', runtime.oidc.signingKey);
  return () => runtime.stop();
}
