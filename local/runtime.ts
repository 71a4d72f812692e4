import type { HandlerLoader } from './lambda/local-function.ts';
import type { Pipeline } from './pipeline.ts';
import { createLog } from './log.ts';
import { holdPort } from './ports.ts';
import { scheduleIntervalMsFromEnv } from './schedule/scheduler.ts';
import { startDynamoDbLocal } from './services/dynamodb-local.ts';

/**
 * The embedded local runtime: the whole pipeline on one machine, from npm packages. It starts
 * DynamoDB Local, fauxqs (SQS/SNS, behind a proxy that keeps SMS in an outbox) and the SES
 * emulator, creates the resources declared in shared/contract/wiring.ts, imports the unchanged handlers
 * once the environment points at those services, and then plays the AWS parts around them:
 * API Gateway for `http` functions, the event source mappings for `stream` and `queue`
 * functions, SNS subscriptions for `topic` functions, EventBridge rules for `schedule`
 * functions, and DynamoDB TTL.
 *
 * The JVM behind DynamoDB Local takes seconds to boot, so it is spawned before the rest of the
 * runtime (pipeline.ts, with the SDK and the emulators) is even loaded.
 */

export interface RuntimeOptions {
  /** HTTP port; 0 picks a free one. Default: $PORT, else 3000. */
  readonly port?: number;
  /** Default: $NPSLOOP_API_KEY, else `local-dev-key`. */
  readonly apiKey?: string;
  /** The local accounts' password. Default: $NPSLOOP_LOCAL_PASSWORD, else `local-dev-password`. */
  readonly password?: string;
  /** Silences service-start and request lines; errors always print. */
  readonly quiet?: boolean;
  /** How a function's handler is obtained; tests inject fakes. Default: import its `entry`. */
  readonly loadHandler?: HandlerLoader;
  /** How often expired items are deleted; 0 turns the sweep off. Default: 60 s. */
  readonly ttlSweepIntervalMs?: number;
  /**
   * How often every `schedule` function runs, whatever rate it declares (tests use 1 s).
   * Default: $NPSLOOP_LOCAL_SCHEDULE_SECONDS, else each function's declared rate.
   */
  readonly scheduleIntervalMs?: number;
}

export interface Runtime {
  /** Where the API listens, e.g. http://localhost:3000 (also PUBLIC_BASE_URL). */
  readonly url: string;
  readonly apiKey: string;
  /** The managers' console, e.g. http://localhost:3000/console/. */
  readonly consoleUrl: string;
  /** Every variable the runtime set for the handlers: endpoints, credentials, app config. */
  readonly env: Readonly<Record<string, string>>;
  /** The SES emulator's web viewer. */
  readonly sesViewerUrl: string;
  /** How many e-mails the SES emulator has received so far: a probe cheap enough to poll. */
  emailsReceived(): number;
  /** The runtime's own routes, e.g. `GET /local/outbox/email`. */
  readonly localRoutes: readonly string[];
  /** The console's local accounts (admin, marketing, manager) and their password. */
  readonly signIns: Pipeline['signIns'];
  /**
   * The local OIDC server (issuer `<url>/oidc`, the console's client id) and its private signing
   * key, which tests use to mint tokens the API must refuse (an expired one).
   */
  readonly oidc: Pipeline['oidc'];
  /** Stops pollers, the HTTP host and every emulator, and ends the DynamoDB Local JVM. */
  stop(): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const started = performance.now();
  const log = createLog(options.quiet ?? false);
  const scheduleIntervalMs = options.scheduleIntervalMs ?? scheduleIntervalMsFromEnv();
  if (scheduleIntervalMs !== undefined && !(scheduleIntervalMs > 0)) throw new Error(`scheduleIntervalMs must be positive, got ${scheduleIntervalMs}`);
  const { port, release: releasePort } = await holdPort(options.port ?? portFromEnv());
  const url = `http://localhost:${port}`;
  const dynamo = await startDynamoDbLocal(log).catch(async (error: unknown) => {
    await releasePort();
    throw error;
  });
  try {
    const { startPipeline } = await import('./pipeline.ts');
    const pipeline = await startPipeline({ ...options, dynamo, port, releasePort, url, scheduleIntervalMs, log });
    log.info(`API on ${url} (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    let stopping: Promise<void> | undefined;
    return {
      url,
      apiKey: pipeline.apiKey,
      consoleUrl: pipeline.consoleUrl,
      env: pipeline.env,
      sesViewerUrl: pipeline.sesViewerUrl,
      emailsReceived: pipeline.emailsReceived,
      localRoutes: pipeline.localRoutes,
      signIns: pipeline.signIns,
      oidc: pipeline.oidc,
      stop: () => (stopping ??= pipeline.stop().finally(() => dynamo.stop())),
    };
  } catch (error) {
    await releasePort();
    await dynamo.stop();
    throw error;
  }
}

function portFromEnv(): number {
  const raw = process.env.PORT;
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${raw}"`);
  return port;
}
