import { env } from '#shared/contract/wiring';
import { startBanner } from './banner.ts';
import { localPasswordEnv } from './local-env.ts';
import { describeError } from './log.ts';

/** `npm start`: the whole pipeline on this machine until Ctrl-C. */

// fauxqs needs node:sqlite; npm scripts run the project's Node 24, a bare `tsx` may not.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) {
  console.error(`The local runtime needs Node 24 (this is ${process.version}); run it with \`npm start\`, which uses the project's Node.`);
  process.exit(1);
}

const apiKeyWasSet = Boolean(process.env[env.apiKey]);
const passwordWasSet = Boolean(process.env[localPasswordEnv]);

try {
  const { startRuntime } = await import('./runtime.ts');
  const runtime = await startRuntime();
  console.log(
    startBanner({
      url: runtime.url,
      apiKey: runtime.apiKey,
      apiKeyWasSet,
      signIns: runtime.signIns,
      passwordWasSet,
      issuer: runtime.oidc.issuer,
      sesViewerUrl: runtime.sesViewerUrl,
      smsFrom: runtime.env[env.smsOriginationNumber] ?? '',
      localRoutes: runtime.localRoutes,
    }),
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
