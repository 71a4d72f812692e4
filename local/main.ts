import { env } from '#shared/contract/wiring';
import { localDefaultApiKey } from './local-env.ts';
import { describeError } from './log.ts';

/** `npm start`: the whole pipeline on this machine until Ctrl-C. */

// fauxqs needs node:sqlite; npm scripts run the project's Node 24, a bare `tsx` may not.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) {
  console.error(`The local runtime needs Node 24 (this is ${process.version}); run it with \`npm start\`, which uses the project's Node.`);
  process.exit(1);
}

const apiKeyWasSet = Boolean(process.env[env.apiKey]);

try {
  const { startRuntime } = await import('./runtime.ts');
  const runtime = await startRuntime();
  const outboxes = runtime.localRoutes.filter((route) => route.startsWith('GET ')).map((route) => `${runtime.url}${route.slice(4)}`);
  const simulations = runtime.localRoutes.filter((route) => route.startsWith('POST ')).map((route) => `POST ${runtime.url}${route.slice(5)}`);
  console.log(
    [
      '',
      `npsloop is running at ${runtime.url}  (GET /health)`,
      `  API key   ${runtime.apiKey}${apiKeyWasSet ? '' : `  (the local default "${localDefaultApiKey}"; set NPSLOOP_API_KEY to choose one)`}`,
      `  Emails    ${runtime.sesViewerUrl}  (SES emulator viewer)`,
      `  SMS from  ${runtime.env[env.smsOriginationNumber]}  (replies: POST /local/sms/inbound {"from":"+12025550123","body":"9"})`,
      ...outboxes.map((url, index) => `  ${index === 0 ? 'Outboxes ' : '         '} ${url}`),
      ...simulations.map((request, index) => `  ${index === 0 ? 'Simulate ' : '         '} ${request}`),
      '  Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(describeError(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
} catch (error) {
  console.error(`The local runtime could not start:\n${describeError(error)}`);
  process.exit(1);
}
