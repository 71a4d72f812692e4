import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { env, functions, table } from '#shared/contract/wiring';
import { buildConsole } from '../console/build.ts';
import { consoleMount, consolePrefix } from './console/console-mount.ts';
import { compileRouteTable } from './http/route-table.ts';
import { createHttpHost, type LocalRoute } from './http/host.ts';
import { asyncRetryAttempts } from './lambda/async-invocation.ts';
import { localAccountId } from './lambda/context.ts';
import { createLocalFunction, importHandlerFromEntry, type HandlerLoader, type LocalFunction } from './lambda/local-function.ts';
import { enforceTableAccess } from './lambda/table-access.ts';
import {
  applyLocalEnv,
  localConfigurationSetName,
  localDefaultApiKey,
  localEnv,
  localOriginationNumber,
  localPasswordEnv,
  localRegion,
  localTableName,
} from './local-env.ts';
import type { RuntimeLog } from './log.ts';
import { createLocalOidc, localAccounts, localDefaultPassword, type LocalOidc } from './oidc/oidc-server.ts';
import { alertsOutboxRoute } from './outbox/alerts-outbox.ts';
import { emailOutboxRoute } from './outbox/email-outbox.ts';
import { createSmsOutbox, smsOutboxRoute } from './outbox/sms-outbox.ts';
import { createLocalQueue, provisionMessaging, provisionTable, type LocalMessaging } from './provision.ts';
import { sqsFunctionDelivery } from './queue/sqs-event.ts';
import { queueConcurrency, startQueueConsumer } from './queue/queue-consumer.ts';
import { startSchedule } from './schedule/scheduler.ts';
import type { DynamoDbLocal } from './services/dynamodb-local.ts';
import { startFauxqsServer } from './services/fauxqs.ts';
import { localCredentials } from './services/local-credentials.ts';
import { startSesEmulator } from './services/ses.ts';
import { sesEventsRoute } from './ses/ses-events-route.ts';
import { inboundSmsRoute } from './sms/inbound-sms-route.ts';
import { startSnsSmsProxy } from './sms/sns-sms-proxy.ts';
import { startStreamConsumer } from './stream/stream-consumer.ts';
import { startTopicSubscriber } from './topic/topic-subscriber.ts';
import { startTtlSweeper } from './ttl-sweeper.ts';
import { typedEntries } from './typed-entries.ts';

/**
 * Everything the local runtime runs besides DynamoDB Local (which runtime.ts starts first):
 * fauxqs and the SES emulator, the resources declared in shared/contract/wiring.ts, the handlers
 * (imported once the environment points at the local services), their event sources, the
 * TTL sweep and, last, the HTTP host. Listening last means `GET /health` answers only once
 * every part is ready.
 */

export interface PipelineOptions {
  readonly dynamo: DynamoDbLocal;
  readonly port: number;
  /** Frees `port`, held since the runtime chose it, for the HTTP host to bind. */
  readonly releasePort?: () => Promise<void>;
  readonly url: string;
  readonly apiKey?: string;
  /** The seeded accounts' password; default $NPSLOOP_LOCAL_PASSWORD, else `local-dev-password`. */
  readonly password?: string;
  readonly loadHandler?: HandlerLoader;
  readonly ttlSweepIntervalMs?: number;
  /** Every schedule's local interval; undefined keeps each function's declared rate. */
  readonly scheduleIntervalMs?: number;
  readonly log: RuntimeLog;
}

export interface Pipeline {
  readonly apiKey: string;
  /** The managers' console, e.g. http://localhost:4000/console/. */
  readonly consoleUrl: string;
  readonly env: Readonly<Record<string, string>>;
  readonly sesViewerUrl: string;
  /** How many e-mails the SES emulator has received so far (a benchmark's cheap probe). */
  emailsReceived(): number;
  readonly localRoutes: readonly string[];
  readonly signIns: SignIns;
  readonly oidc: Pick<LocalOidc, 'issuer' | 'clientId' | 'consoleUrl' | 'signingKey'>;
  /** Stops everything it started, in reverse order; DynamoDB Local is the caller's. */
  stop(): Promise<void>;
}

/** The local accounts a person signs in to the console with. */
export interface SignIns {
  readonly emails: readonly string[];
  readonly password: string;
}

type Stop = () => Promise<void>;

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { dynamo, port, url, log } = options;
  const stops: Stop[] = []; // undone in reverse order
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => log.error('A part of the local runtime did not stop cleanly', error));
    }
  };
  // esbuild builds the console while the services start, so it adds next to nothing to the ready time.
  const buildStarted = performance.now();
  const consoleBuild = buildConsole().then((built) => ({ built, ms: performance.now() - buildStarted }));
  consoleBuild.catch(() => undefined); // awaited below; a failure surfaces there
  try {
    const starting = [startFauxqsServer(), startSesEmulator()] as const;
    await registerWhenStarted(stops, starting);
    const [fauxqs, ses] = await Promise.all(starting);
    log.info(`fauxqs (SQS, SNS) on ${fauxqs.endpoint}`);
    log.info(`SES emulator on ${ses.endpoint}`);
    // The handlers' SNS endpoint: SMS to phone numbers land in the outbox, the rest goes to fauxqs.
    const smsOutbox = createSmsOutbox();
    const snsProxy = await startSnsSmsProxy({ target: fauxqs.endpoint, outbox: smsOutbox, log });
    stops.push(() => snsProxy.stop());
    log.info(`SNS for the handlers on ${snsProxy.endpoint} (SMS to the outbox, the rest to fauxqs)`);

    const clientConfig = { region: localRegion, credentials: localCredentials };
    const sqs = new SQSClient({ ...clientConfig, endpoint: fauxqs.endpoint });
    const sns = new SNSClient({ ...clientConfig, endpoint: fauxqs.endpoint });
    const ddb = new DynamoDBClient({ ...clientConfig, endpoint: dynamo.endpoint });
    const streams = new DynamoDBStreamsClient({ ...clientConfig, endpoint: dynamo.endpoint });
    stops.push(async () => [sqs, sns, ddb, streams].forEach((client) => client.destroy()));

    const messaging = await provisionMessaging(sqs, sns, fauxqs.endpoint);
    const apiKey = options.apiKey ?? (process.env[env.apiKey] || localDefaultApiKey);
    const password = options.password ?? (process.env[localPasswordEnv] || localDefaultPassword);
    const oidc = await createLocalOidc({ url, password });
    const variables = localEnv(
      { dynamodb: dynamo.endpoint, sqs: fauxqs.endpoint, sns: snsProxy.endpoint, ses: ses.endpoint },
      {
        queueUrls: mapValues(messaging.queues, (queue) => queue.url),
        topicArns: mapValues(messaging.topics, (topic) => topic.arn),
        apiKey,
        publicBaseUrl: url,
        oidc,
      },
    );
    // Before any handler is imported: handlers read their configuration at module load.
    applyLocalEnv(variables);
    // The handlers' shared DynamoDB client refuses what a function's wiring does not grant, as IAM would.
    const { dynamoClient } = await import('#shared/aws/clients');
    enforceTableAccess(dynamoClient, (denied) => log.error(`${denied.name}: ${denied.message}`));

    const localRoutes: LocalRoute[] = [
      emailOutboxRoute(ses.sentEmails),
      await alertsOutboxRoute(sqs, sns, fauxqs.endpoint, messaging.topics.alerts.arn),
      sesEventsRoute({
        sns,
        topicArn: messaging.topics.sesEvents.arn,
        sentEmails: ses.sentEmails,
        senderEmail: variables[env.senderEmail] ?? '',
        region: localRegion,
        configurationSetName: localConfigurationSetName,
      }),
      smsOutboxRoute(smsOutbox),
      inboundSmsRoute({
        sns,
        topicArn: messaging.topics.smsInbound.arn,
        destinationNumber: variables[env.smsOriginationNumber] ?? localOriginationNumber,
        accountId: localAccountId,
      }),
    ];

    const loadHandler = options.loadHandler ?? importHandlerFromEntry;
    const localFunctions = typedEntries(functions).map(([name, declaration]) =>
      createLocalFunction({ name, declaration, loadHandler, region: localRegion, log }),
    );
    const routes = compileRouteTable(httpRoutes(localFunctions)); // a wiring mistake fails here, before the wait
    // Cold starts overlap the JVM's start instead of following it.
    const warming = Promise.all(localFunctions.map((fn) => fn.warm()));

    await dynamo.ready;
    log.info(`DynamoDB Local on ${dynamo.endpoint}`);
    const { streamArn } = await provisionTable(ddb, localTableName);
    await warming;

    const sources: EventSourceContext = {
      sqs,
      sns,
      streams,
      streamArn,
      messaging,
      endpoint: fauxqs.endpoint,
      scheduleIntervalMs: options.scheduleIntervalMs,
      log,
    };
    for (const fn of localFunctions) stops.push(await startEventSource(fn, sources));
    const ttlSweepIntervalMs = options.ttlSweepIntervalMs ?? 60_000;
    if (ttlSweepIntervalMs > 0) {
      const sweeper = startTtlSweeper({
        ddb,
        tableName: localTableName,
        keyNames: [table.partitionKey, table.sortKey],
        ttlAttribute: table.timeToLiveAttribute,
        intervalMs: ttlSweepIntervalMs,
        log,
      });
      stops.push(() => sweeper.stop());
    }

    const consoleUrl = `${url}${consolePrefix}`;
    const waitStarted = performance.now();
    const { built, ms } = await consoleBuild;
    log.info(`console built in ${Math.round(ms)} ms (start waited ${Math.round(performance.now() - waitStarted)} ms for it) at ${consoleUrl}`);
    // The console signs in on the local OIDC server, as it does on Cognito in AWS.
    const mounts = [consoleMount(built, { issuer: oidc.issuer, clientId: oidc.clientId }), oidc.mount];
    const host = createHttpHost({ routes, localRoutes, mounts, log });
    await options.releasePort?.();
    await host.listen(port);
    stops.push(() => host.close());

    return {
      apiKey,
      consoleUrl,
      env: variables,
      sesViewerUrl: ses.endpoint,
      emailsReceived: () => ses.sentEmails().length,
      localRoutes: localRoutes.map((route) => `${route.method} ${route.path}`),
      signIns: { emails: localAccounts.map((account) => account.email), password },
      oidc: { issuer: oidc.issuer, clientId: oidc.clientId, consoleUrl: oidc.consoleUrl, signingKey: oidc.signingKey },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

interface EventSourceContext {
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly messaging: LocalMessaging;
  readonly endpoint: string;
  readonly scheduleIntervalMs: number | undefined;
  readonly log: RuntimeLog;
}

/** Connects a function to its declared source, as its event source mapping, subscription or rule does in AWS. */
async function startEventSource(fn: LocalFunction, context: EventSourceContext): Promise<Stop> {
  const { sqs, log } = context;
  const source = fn.declaration.source;
  // Where Lambda would send what it gave up on: a queue per function, named for the source.
  const failureQueue = async (kind: string) => {
    const queue = await createLocalQueue(sqs, context.endpoint, `${fn.name}-${kind}-failures`);
    const send = async (message: string) => {
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: message }));
    };
    return { name: queue.name, send };
  };
  switch (source.kind) {
    case 'http':
      return async () => undefined; // served by the HTTP host
    case 'queue': {
      const queue = context.messaging.queues[source.queue];
      const consumer = startQueueConsumer({
        name: fn.name,
        sqs,
        queueUrl: queue.url,
        batchSize: source.batchSize,
        maxBatchingWindowSeconds: source.maxBatchingWindowSeconds,
        maxConcurrency: queueConcurrency(source),
        deliver: sqsFunctionDelivery(fn, queue.arn, localRegion),
        log,
      });
      log.info(`${fn.name} consumes queue ${queue.name}`);
      return () => consumer.stop();
    }
    case 'stream': {
      const failures = await failureQueue('stream');
      const consumer = startStreamConsumer({
        fn,
        source,
        streams: context.streams,
        streamArn: context.streamArn,
        region: localRegion,
        sendToFailureDestination: failures.send,
        log,
      });
      log.info(`${fn.name} consumes the table stream (on-failure queue ${failures.name})`);
      return () => consumer.stop();
    }
    case 'topic': {
      const failures = await failureQueue('topic');
      const subscriber = await startTopicSubscriber({
        fn,
        sns: context.sns,
        sqs,
        endpoint: context.endpoint,
        topicArn: context.messaging.topics[source.topic].arn,
        queueName: `${fn.name}-${source.topic}-subscription`,
        region: localRegion,
        retryAttempts: asyncRetryAttempts.topic,
        sendToFailureDestination: failures.send,
        log,
      });
      log.info(`${fn.name} is subscribed to topic ${source.topic} (on-failure queue ${failures.name})`);
      return () => subscriber.stop();
    }
    case 'schedule': {
      const failures = await failureQueue('schedule');
      const intervalMs = context.scheduleIntervalMs ?? source.rateSeconds * 1000;
      const schedule = startSchedule({
        fn,
        ruleName: `npsloop-${fn.name}`,
        region: localRegion,
        intervalMs,
        sendToFailureDestination: failures.send,
        log,
      });
      log.info(`${fn.name} runs every ${intervalMs / 1000} s (on-failure queue ${failures.name})`);
      return () => schedule.stop();
    }
    default: {
      const unsupported: never = source;
      throw new Error(`Unsupported event source ${JSON.stringify(unsupported)}`);
    }
  }
}

function httpRoutes(localFunctions: readonly LocalFunction[]) {
  return localFunctions.flatMap((fn) =>
    fn.declaration.source.kind === 'http' ? fn.declaration.source.routes.map((routeKey) => ({ routeKey, target: fn })) : [],
  );
}

/**
 * Waits for services started side by side and registers each one's stop; if one failed, it
 * throws once all have settled, so the caller stops the ones that did start.
 */
async function registerWhenStarted(stops: Stop[], starting: readonly Promise<{ stop: Stop }>[]): Promise<void> {
  const results = await Promise.allSettled(starting);
  for (const result of results) if (result.status === 'fulfilled') stops.push(() => result.value.stop());
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

const mapValues = <K extends string, V, W>(record: Readonly<Record<K, V>>, map: (value: V) => W): Record<K, W> =>
  Object.fromEntries(typedEntries(record).map(([key, value]) => [key, map(value)])) as Record<K, W>;
