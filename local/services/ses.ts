import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pollUntil } from '../deadline.ts';

// A CommonJS package whose default export Node's ESM interop and tsx/vite's disagree on;
// require() gives the same module object everywhere.
const require = createRequire(import.meta.url);
const { default: sesServer } = require('aws-ses-v2-local') as typeof import('aws-ses-v2-local');
// The emulator's own store module (the one its server writes to): reading it in process spares
// the outbox a JSON copy of every stored e-mail per request (~25 MB after a 4,000-mail import).
const emulatorStore = require('aws-ses-v2-local/dist/store.js') as { getStoreReadonly(): { readonly emails: readonly unknown[] } };

/**
 * aws-ses-v2-local, the in-process SES v2 emulator: it stores every email it is sent, shows
 * them in a web viewer at its root URL, and lists them at `GET /store`.
 */
export interface SesEmulator {
  readonly endpoint: string;
  /** Every e-mail the emulator stored, oldest first, as it stored them (unchecked). */
  sentEmails(): readonly unknown[];
  stop(): Promise<void>;
}

export async function startSesEmulator(): Promise<SesEmulator> {
  const server = await sesServer({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  await pollUntil(async () => ((await fetch(`${endpoint}/health-check`)).ok ? true : undefined), {
    what: 'the SES emulator to answer its health check',
    timeoutMs: 5000,
    intervalMs: 20,
  });
  return {
    endpoint,
    sentEmails: () => emulatorStore.getStoreReadonly().emails,
    stop: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
