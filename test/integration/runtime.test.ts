import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  APIGatewayProxyEventV2,
  DynamoDBBatchResponse,
  ScheduledEvent,
  SNSEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '#local/deadline';
import { createHttpHost, type HttpHost } from '#local/http/host';
import { compileRouteTable } from '#local/http/route-table';
import { createLocalFunction, type LambdaHandler, type LocalFunction } from '#local/lambda/local-function';
import { enforceTableAccess } from '#local/lambda/table-access';
import { silentLog } from '#local/log';
import { createLocalQueue } from '#local/provision';
import { startQueueConsumer, type QueueConsumer } from '#local/queue/queue-consumer';
import { sqsFunctionDelivery } from '#local/queue/sqs-event';
import { startSchedule } from '#local/schedule/scheduler';
import { localCredentials } from '#local/services/local-credentials';
import { startStreamConsumer, type StreamConsumer } from '#local/stream/stream-consumer';
import { sweepExpiredItems } from '#local/ttl-sweeper';
import type { DynamoDBStreamWindowEvent } from '#local/stream/stream-record';
import { parseSnsEnvelope } from '#local/topic/sns-envelope';
import { startTopicSubscriber } from '#local/topic/topic-subscriber';
import { keys } from '#shared/table/items';
import { env, queues, table, topics, visibilityTimeoutSeconds, type FunctionDeclaration, type StreamSource } from '#shared/contract/wiring';

/**
 * The local runtime's plumbing on the real local services, independent of the business
 * handlers: fake handlers behind the HTTP host, the stream and queue pollers on throwaway
 * tables and queues, and the runtime's own outboxes and environment.
 */

const localEnv = inject('localEnv');
const baseUrl = inject('baseUrl');
const region = 'us-east-1';
const endpoint = (name: string) => {
  const value = localEnv[name];
  if (value === undefined) throw new Error(`localEnv lacks ${name}`);
  return value;
};
const clientConfig = { region, credentials: localCredentials };
const ddb = new DynamoDBClient({ ...clientConfig, endpoint: endpoint('AWS_ENDPOINT_URL_DYNAMODB') });
const streams = new DynamoDBStreamsClient({ ...clientConfig, endpoint: endpoint('AWS_ENDPOINT_URL_DYNAMODB_STREAMS') });
const sqsEndpoint = endpoint('AWS_ENDPOINT_URL_SQS');
const sqs = new SQSClient({ ...clientConfig, endpoint: sqsEndpoint });
const sns = new SNSClient({ ...clientConfig, endpoint: endpoint('AWS_ENDPOINT_URL_SNS') });

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => [ddb, streams, sqs, sns].forEach((client) => client.destroy()));

const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const within = (what: string, timeoutMs = 15_000) => ({ what, timeoutMs, intervalMs: 25 });

function fakeFunction(handler: LambdaHandler, source: FunctionDeclaration['source'], timeoutSeconds = 10): LocalFunction {
  const declaration: FunctionDeclaration = { entry: 'test/fake.ts', timeoutSeconds, memoryMB: 128, source, uses: {} };
  return createLocalFunction({ name: 'fake', declaration, loadHandler: async () => handler, region, log: silentLog });
}

async function createTestTable(): Promise<{ tableName: string; streamArn: string }> {
  const tableName = uniqueName('runtime-test');
  const { TableDescription } = await ddb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  cleanups.push(() => ddb.send(new DeleteTableCommand({ TableName: tableName })));
  return { tableName, streamArn: TableDescription?.LatestStreamArn ?? '' };
}

const put = (tableName: string, pk: string, sk = 'ITEM', extra: Record<string, AttributeValue> = {}) =>
  ddb.send(new PutItemCommand({ TableName: tableName, Item: { PK: { S: pk }, SK: { S: sk }, ...extra } }));

describe('HTTP host', () => {
  const echo = async (event: APIGatewayProxyEventV2) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  const routes = compileRouteTable(
    [
      { routeKey: 'GET /items/{id}', target: fakeFunction(echo, { kind: 'http', routes: [] }) },
      { routeKey: 'GET /items/special', target: fakeFunction(echo, { kind: 'http', routes: [] }) },
      { routeKey: 'POST /echo/{name}', target: fakeFunction(echo, { kind: 'http', routes: [] }) },
      { routeKey: 'GET /inferred', target: fakeFunction(async () => ({ hello: 'world' }), { kind: 'http', routes: [] }) },
      {
        routeKey: 'GET /binary',
        target: fakeFunction(
          async () => ({ statusCode: 201, headers: { 'content-type': 'image/png' }, cookies: ['a=1', 'b=2'], body: 'AP8=', isBase64Encoded: true }),
          { kind: 'http', routes: [] },
        ),
      },
      {
        routeKey: 'GET /boom',
        target: fakeFunction(async () => {
          throw new Error('handler bug');
        }, { kind: 'http', routes: [] }),
      },
      { routeKey: 'GET /slow', target: fakeFunction(() => new Promise(() => undefined), { kind: 'http', routes: [] }, 1) },
    ],
  );
  let host: HttpHost;
  let url: string;
  const start = async () => {
    host = createHttpHost({ routes, localRoutes: [], log: silentLog });
    url = `http://localhost:${await host.listen(0)}`;
    cleanups.push(() => host.close());
  };
  const echoed = async (response: Response) => (await response.json()) as APIGatewayProxyEventV2;

  it('routes to the most specific route', async () => {
    await start();
    const special = await echoed(await fetch(`${url}/items/special`));
    const byId = await echoed(await fetch(`${url}/items/42`));
    expect(special.routeKey).toBe('GET /items/special');
    expect(byId).toMatchObject({ routeKey: 'GET /items/{id}', pathParameters: { id: '42' } });
  });

  it('hands the function a payload 2.0 event', async () => {
    // GIVEN
    await start();
    // WHEN
    const event = await echoed(
      await fetch(`${url}/echo/J%C3%BCrgen?x=1&x=2`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Custom': 'Yes', Cookie: 'session=abc; theme=dark' },
        body: '{"score":9}',
      }),
    );
    // THEN
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /echo/{name}',
      rawPath: '/echo/J%C3%BCrgen',
      rawQueryString: 'x=1&x=2',
      queryStringParameters: { x: '1,2' },
      pathParameters: { name: 'Jürgen' },
      cookies: ['session=abc', 'theme=dark'],
      headers: { 'content-type': 'application/json', 'x-custom': 'Yes' },
      body: '{"score":9}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/echo/J%C3%BCrgen' }, routeKey: 'POST /echo/{name}', stage: '$default' },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.timeEpoch).toBeGreaterThan(0);
  });

  it('base64-encodes a binary request body', async () => {
    await start();
    const event = await echoed(
      await fetch(`${url}/echo/bin`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 255]) }),
    );
    expect(event).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
  });

  it('writes a base64 result as bytes, with its status and cookies', async () => {
    await start();
    const response = await fetch(`${url}/binary`);
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([0, 255]));
  });

  it('answers a result without statusCode as 200 JSON', async () => {
    await start();
    const response = await fetch(`${url}/inferred`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hello: 'world' });
  });

  it.each([
    ['a handler that throws', '/boom'],
    ['a handler that outlives its timeout', '/slow'],
  ])('answers 500 for %s', async (_, path) => {
    await start();
    const response = await fetch(`${url}${path}`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'internal_error', message: 'Internal Server Error' } });
  });

  it('answers 404 with an error body for an unknown route', async () => {
    await start();
    const response = await fetch(`${url}/items/1/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('DynamoDB stream poller', () => {
  const source = (overrides: Partial<StreamSource> = {}): StreamSource => ({
    kind: 'stream',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    retryAttempts: 2,
    bisectBatchOnError: false,
    tumblingWindowSeconds: 60,
    filterPatterns: [],
    ...overrides,
  });

  function consume(streamArn: string, handler: LambdaHandler, streamSource: StreamSource) {
    const discarded: unknown[] = [];
    const consumer: StreamConsumer = startStreamConsumer({
      fn: fakeFunction(handler, streamSource),
      source: streamSource,
      streams,
      streamArn,
      region,
      sendToFailureDestination: async (message) => {
        discarded.push(JSON.parse(message));
      },
      log: silentLog,
      idlePollMs: 50,
      shardDiscoveryMs: 200,
      retryDelayMs: 20,
    });
    cleanups.push(() => consumer.stop());
    return { discarded };
  }

  const pkOf = (record: DynamoDBStreamWindowEvent['Records'][number]) => record.dynamodb?.Keys?.PK?.S ?? '?';

  it('delivers a Lambda-shaped tumbling-window event', async () => {
    // GIVEN
    const { tableName, streamArn } = await createTestTable();
    await put(tableName, 'a', 'ITEM', { blob: { B: new Uint8Array([1, 2, 3]) }, empty: { M: {} }, list: { L: [{ M: {} }, { NULL: true }] } });
    const events: DynamoDBStreamWindowEvent[] = [];
    // WHEN
    consume(streamArn, async (event: DynamoDBStreamWindowEvent) => void events.push(event), source());
    const [event] = await pollUntil(async () => (events.length > 0 ? events : undefined), within('the first stream event'));
    // THEN
    expect(event).toMatchObject({
      shardId: expect.any(String),
      eventSourceARN: streamArn,
      state: {},
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
      Records: [
        {
          eventID: expect.any(String),
          eventName: 'INSERT',
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: region,
          eventSourceARN: streamArn,
          dynamodb: {
            Keys: { PK: { S: 'a' }, SK: { S: 'ITEM' } },
            NewImage: {
              PK: { S: 'a' },
              SK: { S: 'ITEM' },
              blob: { B: 'AQID' },
              empty: { M: {} },
              list: { L: [{ M: {} }, { NULL: true }] },
            },
            SequenceNumber: expect.any(String),
            SizeBytes: expect.any(Number),
            StreamViewType: 'NEW_AND_OLD_IMAGES',
            ApproximateCreationDateTime: expect.any(Number),
          },
        },
      ],
    });
    const window = event?.window ?? { start: '', end: '' };
    expect(Date.parse(window.end) - Date.parse(window.start)).toBe(60_000);
  });

  it('after a partial failure, redelivers the failed record and those after it, not those before', async () => {
    // GIVEN r3 fails once
    const { tableName, streamArn } = await createTestTable();
    for (const pk of ['r1', 'r2', 'r3', 'r4', 'r5']) await put(tableName, pk);
    const batches: string[][] = [];
    let failuresLeft = 1;
    const handler = async (event: DynamoDBStreamWindowEvent): Promise<DynamoDBBatchResponse> => {
      batches.push(event.Records.map(pkOf));
      const failing = event.Records.find((record) => pkOf(record) === 'r3');
      if (failing && failuresLeft-- > 0) return { batchItemFailures: [{ itemIdentifier: failing.dynamodb?.SequenceNumber ?? '' }] };
      return { batchItemFailures: [] };
    };
    // WHEN
    consume(streamArn, handler, source());
    await pollUntil(async () => (batches.flat().includes('r5') && batches.length >= 2 ? true : undefined), within('the retry'));
    await put(tableName, 'sentinel'); // records are delivered in order: any redelivery would come before it
    await pollUntil(async () => (batches.flat().includes('sentinel') ? true : undefined), within('the sentinel'));
    // THEN
    expect(batches).toEqual([['r1', 'r2', 'r3', 'r4', 'r5'], ['r3', 'r4', 'r5'], ['sentinel']]);
  });

  it('bisects around a poison record, discards it after retryAttempts, and moves on', async () => {
    // GIVEN a handler that throws whenever P is in its batch
    const { tableName, streamArn } = await createTestTable();
    for (const pk of ['a', 'b', 'P', 'c', 'd']) await put(tableName, pk);
    const batches: string[][] = [];
    const handler = async (event: DynamoDBStreamWindowEvent) => {
      const pks = event.Records.map(pkOf);
      batches.push(pks);
      if (pks.includes('P')) throw new Error('poison');
    };
    // WHEN
    const { discarded } = consume(streamArn, handler, source({ bisectBatchOnError: true, retryAttempts: 1 }));
    await pollUntil(async () => (discarded.length > 0 ? true : undefined), within('the on-failure record'));
    await put(tableName, 'e');
    await pollUntil(async () => (batches.flat().includes('e') ? true : undefined), within('a record after the poison one'));
    // THEN every other record succeeded exactly once, in order; P was tried 1 + retryAttempts times alone
    expect(batches.filter((pks) => !pks.includes('P')).flat()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(batches.filter((pks) => pks.length === 1 && pks[0] === 'P')).toHaveLength(2);
    expect(discarded).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 }),
        responseContext: expect.objectContaining({ functionError: 'Unhandled' }),
        DDBStreamBatchInfo: expect.objectContaining({ batchSize: 1, streamArn, shardId: expect.any(String) }),
      }),
    ]);
  });

  it('passes only records that match the filter patterns', async () => {
    // GIVEN
    const { tableName, streamArn } = await createTestTable();
    await put(tableName, 'x1', 'INVITATION');
    await put(tableName, 'x2', 'RESPONSE');
    await put(tableName, 'x3', 'INVITATION');
    const seen: string[] = [];
    const filtered = source({ filterPatterns: [{ dynamodb: { Keys: { SK: { S: ['RESPONSE'] } } } }] });
    // WHEN
    consume(streamArn, async (event: DynamoDBStreamWindowEvent) => void seen.push(...event.Records.map(pkOf)), filtered);
    await put(tableName, 'sentinel', 'RESPONSE');
    await pollUntil(async () => (seen.includes('sentinel') ? true : undefined), within('the sentinel'));
    // THEN
    expect(seen).toEqual(['x2', 'sentinel']);
  });
});

describe('SQS poller', () => {
  async function createQueueWithDlq(maxReceiveCount: number) {
    const name = uniqueName('queue-test');
    const deadLetterQueue = await createLocalQueue(sqs, sqsEndpoint, `${name}-dlq`);
    const queue = await createLocalQueue(sqs, sqsEndpoint, name, {
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount }),
    });
    cleanups.push(async () => {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl: deadLetterQueue.url }));
    });
    return { queue, deadLetterQueue };
  }

  function consume(queue: { url: string; arn: string }, handler: LambdaHandler, settings: { batchSize?: number; window?: number; maxConcurrency?: number } = {}) {
    const fn = fakeFunction(handler, { kind: 'queue', queue: 'invitations', batchSize: settings.batchSize ?? 10, maxBatchingWindowSeconds: 0 });
    const consumer: QueueConsumer = startQueueConsumer({
      name: 'fake',
      sqs,
      queueUrl: queue.url,
      batchSize: settings.batchSize ?? 10,
      maxBatchingWindowSeconds: settings.window ?? 0,
      maxConcurrency: settings.maxConcurrency ?? 1,
      deliver: sqsFunctionDelivery(fn, queue.arn, region),
      log: silentLog,
    });
    cleanups.push(() => consumer.stop());
  }

  const send = (queueUrl: string, bodies: string[]) =>
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.map((body, index) => ({
          Id: String(index),
          MessageBody: body,
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
        })),
      }),
    );

  it('deletes the delivered messages; only the failed one returns, and reaches the DLQ after maxReceiveCount', async () => {
    // GIVEN
    const { queue, deadLetterQueue } = await createQueueWithDlq(2);
    const deliveries: SQSRecord[] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      deliveries.push(...event.Records);
      return { batchItemFailures: event.Records.filter((record) => record.body === 'bad').map((record) => ({ itemIdentifier: record.messageId })) };
    };
    // WHEN
    consume(queue, handler);
    await send(queue.url, ['good-1', 'bad', 'good-2']);
    const dead = await pollUntil(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetterQueue.url, WaitTimeSeconds: 1 }));
      return Messages.length > 0 ? Messages : undefined;
    }, within('the failed message in the DLQ'));
    // THEN
    expect(dead.map((message) => message.Body)).toEqual(['bad']);
    const receiveCounts = (body: string) => deliveries.filter((record) => record.body === body).map((record) => record.attributes.ApproximateReceiveCount);
    expect(receiveCounts('good-1')).toEqual(['1']);
    expect(receiveCounts('good-2')).toEqual(['1']);
    expect(receiveCounts('bad')).toEqual(['1', '2']);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('hands the function a Lambda-shaped SQS event', async () => {
    const { queue } = await createQueueWithDlq(5);
    const events: SQSEvent[] = [];
    consume(queue, async (event: SQSEvent) => void events.push(event));
    await send(queue.url, ['{"hello":"world"}']);
    const [event] = await pollUntil(async () => (events.length > 0 ? events : undefined), within('the SQS event'));
    expect(event?.Records).toEqual([
      {
        messageId: expect.any(String),
        receiptHandle: expect.any(String),
        body: '{"hello":"world"}',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d+$/),
          SenderId: expect.any(String),
          ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
        },
        messageAttributes: { kind: { stringValue: 'test', stringListValues: [], binaryListValues: [], dataType: 'String' } },
        md5OfBody: 'fbc24bcc7a1794758fc1327fcfebdaf6',
        md5OfMessageAttributes: expect.any(String),
        eventSource: 'aws:sqs',
        eventSourceARN: queue.arn,
        awsRegion: region,
      },
    ]);
  });

  it('fails the whole batch when the handler throws', async () => {
    // GIVEN a handler that throws on its first invocation only
    const { queue } = await createQueueWithDlq(5);
    const batches: SQSRecord[][] = [];
    const handler = async (event: SQSEvent) => {
      batches.push(event.Records);
      if (batches.length === 1) throw new Error('transient');
    };
    // WHEN both messages arrive within the batching window
    consume(queue, handler, { window: 1 });
    await send(queue.url, ['m1', 'm2']);
    await pollUntil(async () => (batches.flat().length >= 4 ? true : undefined), within('the retry of both messages'));
    // THEN
    const [first, ...retries] = batches;
    expect(first?.map((record) => record.body).sort()).toEqual(['m1', 'm2']);
    expect(retries.flat().map((record) => [record.body, record.attributes.ApproximateReceiveCount]).sort()).toEqual([
      ['m1', '2'],
      ['m2', '2'],
    ]);
  });

  it('keeps at most maxConcurrency batches in flight', async () => {
    // GIVEN
    const { queue } = await createQueueWithDlq(5);
    let inFlight = 0;
    let maxInFlight = 0;
    let done = 0;
    const handler = async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 200)); // holds the invocation open
      inFlight -= 1;
      done += 1;
    };
    // WHEN
    consume(queue, handler, { batchSize: 1, maxConcurrency: 2 });
    await send(queue.url, ['1', '2', '3', '4', '5', '6']);
    await pollUntil(async () => (done === 6 ? true : undefined), within('all six messages'));
    // THEN
    expect(maxInFlight).toBe(2);
  });
});

describe('SNS topic subscription', () => {
  async function subscribe(handler: LambdaHandler) {
    const { TopicArn: topicArn = '' } = await sns.send(new CreateTopicCommand({ Name: uniqueName('topic-test') }));
    const parked: unknown[] = [];
    const subscriber = await startTopicSubscriber({
      fn: fakeFunction(handler, { kind: 'topic', topic: 'sesEvents' }),
      sns,
      sqs,
      endpoint: sqsEndpoint,
      topicArn,
      queueName: uniqueName('subscription-test'),
      region,
      retryAttempts: 2,
      sendToFailureDestination: async (message) => void parked.push(JSON.parse(message)),
      log: silentLog,
    });
    cleanups.push(async () => {
      await subscriber.stop();
      await sqs.send(new DeleteQueueCommand({ QueueUrl: subscriber.queue.url }));
      await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    });
    return { topicArn, subscriber, parked };
  }

  it('hands the subscriber each published message as a Lambda-shaped SNSEvent', async () => {
    // GIVEN
    const events: SNSEvent[] = [];
    const { topicArn, subscriber } = await subscribe(async (event: SNSEvent) => void events.push(event));
    // WHEN
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: 'feedback',
        Message: '{"eventType":"Bounce"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      }),
    );
    const [event] = await pollUntil(async () => (events.length > 0 ? events : undefined), within('the SNS event'));
    // THEN
    expect(event).toEqual({
      Records: [
        {
          EventVersion: '1.0',
          EventSubscriptionArn: subscriber.subscriptionArn,
          EventSource: 'aws:sns',
          Sns: {
            Type: 'Notification',
            MessageId: expect.any(String),
            TopicArn: topicArn,
            Subject: 'feedback',
            Message: '{"eventType":"Bounce"}',
            Timestamp: expect.any(String),
            SignatureVersion: expect.any(String),
            Signature: expect.any(String),
            SigningCertUrl: expect.any(String),
            UnsubscribeUrl: expect.any(String),
            MessageAttributes: { kind: { Type: 'String', Value: 'test' } },
          },
        },
      ],
    });
  });

  it("retries a throwing subscriber twice, then parks the event in Lambda's on-failure record", async () => {
    // GIVEN a subscriber that always throws
    let attempts = 0;
    const { topicArn, subscriber, parked } = await subscribe(async () => {
      attempts += 1;
      throw new Error('cannot handle');
    });
    // WHEN
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'poison' }));
    const [record] = await pollUntil(async () => (parked.length > 0 ? parked : undefined), within('the on-failure record'));
    // THEN it was invoked 1 + 2 times, and the message left the subscription queue
    expect(attempts).toBe(3);
    expect(record).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { Records: [{ Sns: { TopicArn: topicArn, Message: 'poison' } }] },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'cannot handle' },
    });
    await pollUntil(async () => {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: subscriber.queue.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return Attributes?.ApproximateNumberOfMessages === '0' && Attributes.ApproximateNumberOfMessagesNotVisible === '0' ? true : undefined;
    }, within('an empty subscription queue'));
  });
});

describe('schedule', () => {
  function schedule(handler: LambdaHandler, intervalMs: number) {
    const parked: unknown[] = [];
    const running = startSchedule({
      fn: fakeFunction(handler, { kind: 'schedule', rateSeconds: 60 }),
      ruleName: uniqueName('rule'),
      region,
      intervalMs,
      sendToFailureDestination: async (message) => void parked.push(JSON.parse(message)),
      log: silentLog,
    });
    cleanups.push(() => running.stop());
    return { parked };
  }

  it('invokes the function with a ScheduledEvent again and again, never beside itself', async () => {
    // GIVEN runs that outlast the interval
    const runs: { start: number; end: number; event: ScheduledEvent }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const handler = async (event: ScheduledEvent) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 120));
      inFlight -= 1;
      runs.push({ start, end: Date.now(), event });
    };
    // WHEN
    schedule(handler, 50);
    await pollUntil(async () => (runs.length >= 4 ? true : undefined), within('four runs'));
    // THEN
    expect(maxInFlight).toBe(1);
    for (const [index, run] of runs.entries()) {
      const previous = runs[index - 1];
      if (previous) expect(run.start).toBeGreaterThanOrEqual(previous.end);
    }
    expect(runs[0]?.event).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      region,
      resources: [expect.stringMatching(/^arn:aws:events:us-east-1:000000000000:rule\/rule-/)],
      detail: {},
    });
    expect(new Set(runs.map((run) => run.event.id)).size).toBe(runs.length);
  });

  it('runs no faster than the rate: the nth run starts n intervals after the schedule, or later', async () => {
    // GIVEN quick runs
    const starts: number[] = [];
    const scheduledAt = Date.now();
    // WHEN
    schedule(async () => void starts.push(Date.now()), 150);
    await pollUntil(async () => (starts.length >= 3 ? true : undefined), within('three runs'));
    // THEN (Node may fire a timer a millisecond early)
    for (const [index, start] of starts.entries()) expect(start - scheduledAt).toBeGreaterThanOrEqual((index + 1) * 150 - 1);
  });

  it('parks a failed run in an on-failure record, and runs again on the next tick', async () => {
    // GIVEN a function whose first run throws
    let runs = 0;
    const handler = async () => {
      runs += 1;
      if (runs === 1) throw new Error('first run fails');
    };
    // WHEN
    const { parked } = schedule(handler, 50);
    await pollUntil(async () => (runs >= 2 ? true : undefined), within('the next run'));
    // THEN it was not retried (the next run is the retry)
    expect(parked).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({ condition: 'RetriesExhausted', approximateInvokeCount: 1 }),
        requestPayload: expect.objectContaining({ 'detail-type': 'Scheduled Event' }),
        responsePayload: { errorType: 'Error', errorMessage: 'first run fails' },
      }),
    ]);
  });
});

describe('TTL sweep', () => {
  it('deletes items whose TTL lies in the past, and only those', async () => {
    // GIVEN
    const { tableName } = await createTestTable();
    const now = Math.floor(Date.now() / 1000);
    await put(tableName, 'expired', 'ITEM', { expiresAt: { N: String(now - 10) } });
    await put(tableName, 'future', 'ITEM', { expiresAt: { N: String(now + 3600) } });
    await put(tableName, 'no-ttl');
    await put(tableName, 'not-a-number', 'ITEM', { expiresAt: { S: '1' } });
    // WHEN
    const deleted = await sweepExpiredItems({ ddb, tableName, keyNames: ['PK', 'SK'], ttlAttribute: 'expiresAt' });
    // THEN
    const { Items = [] } = await ddb.send(new ScanCommand({ TableName: tableName }));
    expect(deleted).toBe(1);
    expect(Items.map((item) => item.PK?.S).sort()).toEqual(['future', 'no-ttl', 'not-a-number']);
  });
});

describe('local IAM check', () => {
  it('lets an invoked function make the DynamoDB calls its wiring grants, and refuses the rest before they reach the table', async () => {
    // GIVEN a table, a client checked as the runtime checks the handlers' shared one, and a
    // function granted GetItem and PutItem on OPTOUT# keys only
    const { tableName } = await createTestTable();
    const checked = new DynamoDBClient({ ...clientConfig, endpoint: endpoint('AWS_ENDPOINT_URL_DYNAMODB') });
    cleanups.push(async () => checked.destroy());
    enforceTableAccess(checked, () => undefined);
    const item = { PK: { S: 'OPTOUT#h1' }, SK: { S: 'OPTOUT' } };
    const handler = async (event: { readonly step: 'put' | 'delete' | 'other-partition' }) => {
      if (event.step === 'put') return checked.send(new PutItemCommand({ TableName: tableName, Item: item }));
      if (event.step === 'delete') return checked.send(new DeleteItemCommand({ TableName: tableName, Key: item }));
      return checked.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: 'INV#1' }, SK: { S: 'INV' } } }));
    };
    const declaration: FunctionDeclaration = {
      entry: 'test/fake.ts',
      timeoutSeconds: 10,
      memoryMB: 128,
      source: { kind: 'schedule', rateSeconds: 60 },
      uses: { table: [{ actions: ['GetItem', 'PutItem'], leadingKeys: ['OPTOUT#*'] }] },
    };
    const fn = createLocalFunction({ name: 'optOuts', declaration, loadHandler: async () => handler as LambdaHandler, region, log: silentLog });
    // WHEN
    const put = await fn.invoke({ step: 'put' });
    const deleting = await fn.invoke({ step: 'delete' });
    const elsewhere = await fn.invoke({ step: 'other-partition' });
    // THEN the declared write went through; the undeclared delete and the foreign partition did not
    expect(put.ok).toBe(true);
    expect(deleting).toMatchObject({ ok: false, error: { name: 'AccessDeniedException' } });
    expect(deleting.ok === false && deleting.error.message).toMatch(/^optOuts is not allowed dynamodb:DeleteItem for leading key OPTOUT#\*\. .*functions\.optOuts\.uses\.table in shared\/contract\/wiring\.ts/);
    expect(elsewhere).toMatchObject({ ok: false, error: { name: 'AccessDeniedException', message: expect.stringMatching(/dynamodb:GetItem for leading key INV#\*/) } });
    const stored = await ddb.send(new GetItemCommand({ TableName: tableName, Key: item, ConsistentRead: true }));
    expect(stored.Item).toBeDefined();
  });
});

describe('the running runtime', () => {
  const withLocalEnv = () => Object.assign(process.env, localEnv);

  it('answers an unknown route with 404 and an error body', async () => {
    const response = await fetch(`${baseUrl}/no/such/route`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('lets SDK clients with no configuration reach every declared resource, through the environment alone', async () => {
    // GIVEN default clients, as the handlers create them
    withLocalEnv();
    const defaultDdb = new DynamoDBClient({});
    const defaultSqs = new SQSClient({});
    const defaultSns = new SNSClient({});
    // WHEN
    const { Table } = await defaultDdb.send(new DescribeTableCommand({ TableName: localEnv.TABLE_NAME }));
    const { Attributes } = await defaultSqs.send(
      new GetQueueAttributesCommand({ QueueUrl: localEnv[queues.invitations.urlEnv], AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'] }),
    );
    const topic = await defaultSns.send(new GetTopicAttributesCommand({ TopicArn: localEnv.ALERTS_TOPIC_ARN }));
    const sesEventsTopic = await defaultSns.send(new GetTopicAttributesCommand({ TopicArn: localEnv[topics.sesEvents.arnEnv] }));
    const smsInboundTopic = await defaultSns.send(new GetTopicAttributesCommand({ TopicArn: localEnv[topics.smsInbound.arnEnv] }));
    // THEN
    expect(Table).toMatchObject({
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      GlobalSecondaryIndexes: expect.arrayContaining(table.indexes.map((index) => expect.objectContaining({ IndexName: index.name }))),
    });
    expect(Table?.GlobalSecondaryIndexes).toHaveLength(table.indexes.length);
    expect(Attributes?.VisibilityTimeout).toBe(String(visibilityTimeoutSeconds('invitations')));
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toMatchObject({ maxReceiveCount: queues.invitations.maxReceiveCount });
    expect(topic.Attributes?.TopicArn).toBe(localEnv.ALERTS_TOPIC_ARN);
    expect(sesEventsTopic.Attributes?.TopicArn).toBe(localEnv[topics.sesEvents.arnEnv]);
    expect(smsInboundTopic.Attributes?.TopicArn).toBe(localEnv[topics.smsInbound.arnEnv]);
    [defaultDdb, defaultSqs, defaultSns].forEach((client) => client.destroy());
  });

  it('shows sent emails, with their custom headers, at /local/outbox/email', async () => {
    // GIVEN
    withLocalEnv();
    const ses = new SESv2Client({});
    const subject = `Outbox test ${randomUUID()}`;
    // WHEN
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: localEnv.SENDER_EMAIL,
        Destination: { ToAddresses: ['reader@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: subject },
            Body: { Html: { Data: '<p>Hi</p>' }, Text: { Data: 'Hi' } },
            Headers: [{ Name: 'List-Unsubscribe', Value: '<https://example.com/u/1>' }],
          },
        },
      }),
    );
    const response = await fetch(`${baseUrl}/local/outbox/email?to=reader@example.com`);
    // THEN the newest e-mail to that address comes first
    const { items } = (await response.json()) as { items: { subject: string }[] };
    expect(items[0]).toMatchObject({
      subject,
      to: ['reader@example.com'],
      html: '<p>Hi</p>',
      text: 'Hi',
      headers: [{ name: 'List-Unsubscribe', value: '<https://example.com/u/1>' }],
    });
    ses.destroy();
  });

  it('shows messages published to the alerts topic, with their attributes, at /local/outbox/alerts', async () => {
    // GIVEN
    withLocalEnv();
    const sns = new SNSClient({});
    const marker = randomUUID();
    // WHEN
    await sns.send(
      new PublishCommand({
        TopicArn: localEnv.ALERTS_TOPIC_ARN,
        Message: JSON.stringify({ marker, score: 3 }),
        MessageAttributes: { score: { DataType: 'Number', StringValue: '3' } },
      }),
    );
    const response = await fetch(`${baseUrl}/local/outbox/alerts`);
    // THEN the newest alert comes first
    const { items } = (await response.json()) as { items: { message: { marker?: string } }[] };
    expect(items[0]).toMatchObject({
      message: { marker, score: 3 },
      attributes: { score: { type: 'Number', value: '3' } },
      at: expect.any(String),
    });
    sns.destroy();
  });

  it('runs the scheduled functions (releaseDue keeps its cursor)', async () => {
    // The global setup runs schedules every second; releaseDue records how far it has released.
    const cursorKey = keys.dueCursor();
    const cursor = await pollUntil(async () => {
      const { Item } = await ddb.send(
        new GetItemCommand({ TableName: localEnv.TABLE_NAME, Key: { PK: { S: cursorKey.PK }, SK: { S: cursorKey.SK } }, ConsistentRead: true }),
      );
      return Item;
    }, within('the first scheduled run'));
    expect(cursor.minute?.S).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  });

  describe('POST /local/ses/events', () => {
    const post = (body: string) =>
      fetch(`${baseUrl}/local/ses/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    it('publishes to the sesEvents topic the record SES publishes for a bounce', async () => {
      // GIVEN a queue subscribed to the SES feedback topic, as a second subscriber would be
      const topicArn = localEnv[topics.sesEvents.arnEnv] ?? '';
      const watcher = await createLocalQueue(sqs, sqsEndpoint, uniqueName('ses-events-watch'));
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: watcher.arn, ReturnSubscriptionArn: true }),
      );
      cleanups.push(async () => {
        await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
        await sqs.send(new DeleteQueueCommand({ QueueUrl: watcher.url }));
      });
      const email = `bounced.${randomUUID()}@example.com`;
      // WHEN
      const response = await post(JSON.stringify({ type: 'Bounce', email }));
      // THEN
      expect(response.status).toBe(202);
      const { messageId } = (await response.json()) as { messageId: string };
      const [message] = await pollUntil(async () => {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: watcher.url, WaitTimeSeconds: 1 }));
        return Messages.length > 0 ? Messages : undefined;
      }, within('the published SES event'));
      const envelope = parseSnsEnvelope(message?.Body ?? '');
      expect(envelope).toMatchObject({ TopicArn: topicArn, MessageId: messageId });
      expect(JSON.parse(envelope.Message)).toMatchObject({
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: email, action: 'failed', status: '5.1.1', diagnosticCode: expect.any(String) }],
          timestamp: expect.any(String),
          feedbackId: expect.any(String),
        },
        mail: {
          timestamp: expect.any(String),
          messageId: expect.any(String),
          source: localEnv.SENDER_EMAIL,
          destination: [email],
          tags: { 'ses:configuration-set': [expect.any(String)] },
        },
      });
    });

    it('describes the e-mail SES was sent for that address, under the id SendEmail returned', async () => {
      // GIVEN an e-mail sent through the SES emulator
      withLocalEnv();
      const ses = new SESv2Client({});
      const email = `complainer.${randomUUID()}@example.com`;
      const { MessageId } = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: localEnv.SENDER_EMAIL,
          Destination: { ToAddresses: [email] },
          Content: { Simple: { Subject: { Data: 'Survey' }, Body: { Text: { Data: 'Hi' } } } },
        }),
      );
      ses.destroy();
      // WHEN
      const response = await post(JSON.stringify({ type: 'Complaint', email }));
      // THEN
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({
        event: {
          eventType: 'Complaint',
          complaint: { complainedRecipients: [{ emailAddress: email }], complaintFeedbackType: 'abuse' },
          mail: { messageId: MessageId, destination: [email], commonHeaders: { subject: 'Survey' } },
        },
      });
    });

    it.each([
      ['a body that is not JSON', 'not json', 'bad_request'],
      ['an event type it does not simulate', JSON.stringify({ type: 'Delivery', email: 'a@example.com' }), 'validation_failed'],
      ['an address that is not one', JSON.stringify({ type: 'Bounce', email: 'nobody' }), 'validation_failed'],
    ])('answers 400 to %s', async (_, body, code) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
    });
  });

  describe('SMS', () => {
    /** A number no other test texts, so its messages are this test's alone. */
    const uniquePhone = () => `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
    const smsOutbox = async (query = '') => ((await (await fetch(`${baseUrl}/local/outbox/sms${query}`)).json()) as { items: Record<string, unknown>[] }).items;

    it('answers an SDK Publish to a phone number with a MessageId, and shows the SMS at /local/outbox/sms', async () => {
      // GIVEN a client configured by the environment alone, as the handlers' is
      withLocalEnv();
      const defaultSns = new SNSClient({});
      const to = uniquePhone();
      // WHEN
      const { MessageId } = await defaultSns.send(
        new PublishCommand({
          PhoneNumber: to,
          Message: 'How likely are you to recommend Acme? Reply 0-10',
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: localEnv[env.smsOriginationNumber] },
          },
        }),
      );
      defaultSns.destroy();
      // THEN
      expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
      const items = await smsOutbox();
      expect(items.filter((item) => item.to === to)).toEqual([
        {
          to,
          body: 'How likely are you to recommend Acme? Reply 0-10',
          originationNumber: localEnv[env.smsOriginationNumber],
          smsType: 'Transactional',
          messageId: MessageId,
          at: expect.any(String),
        },
      ]);
      expect(items[0]?.messageId).toBe(MessageId); // newest first
    });

    it('refuses a phone number that is not E.164 with the InvalidParameter error SNS gives, and sends nothing', async () => {
      // GIVEN
      const before = (await smsOutbox())[0];
      // WHEN
      const publishing = sns.send(new PublishCommand({ PhoneNumber: '555-0123', Message: 'Hi' }));
      // THEN
      await expect(publishing).rejects.toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
      expect((await smsOutbox())[0]).toEqual(before);
    });

    it('still hands every other SNS request to fauxqs: a topic Publish reaches its subscribers under the MessageId it returned', async () => {
      // GIVEN a topic and a subscribed queue, created through the handlers' SNS endpoint
      const { TopicArn: topicArn = '' } = await sns.send(new CreateTopicCommand({ Name: uniqueName('proxy-test') }));
      const watcher = await createLocalQueue(sqs, sqsEndpoint, uniqueName('proxy-watch'));
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: watcher.arn, ReturnSubscriptionArn: true }),
      );
      cleanups.push(async () => {
        await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
        await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
        await sqs.send(new DeleteQueueCommand({ QueueUrl: watcher.url }));
      });
      // WHEN
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'through the proxy' }));
      // THEN
      const [message] = await pollUntil(async () => {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: watcher.url, WaitTimeSeconds: 1 }));
        return Messages.length > 0 ? Messages : undefined;
      }, within('the published message'));
      expect(parseSnsEnvelope(message?.Body ?? '')).toMatchObject({ TopicArn: topicArn, MessageId, Message: 'through the proxy' });
    });

    describe('POST /local/sms/inbound', () => {
      const post = (body: string) => fetch(`${baseUrl}/local/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

      /** A fake handler subscribed to the smsInbound topic beside the real one, collecting what it is given. */
      async function subscribeToInboundSms() {
        const events: SNSEvent[] = [];
        const subscriber = await startTopicSubscriber({
          fn: fakeFunction(async (event: SNSEvent) => void events.push(event), { kind: 'topic', topic: 'smsInbound' }),
          sns,
          sqs,
          endpoint: sqsEndpoint,
          topicArn: localEnv[topics.smsInbound.arnEnv] ?? '',
          queueName: uniqueName('sms-inbound-test'),
          region,
          retryAttempts: 0,
          sendToFailureDestination: async () => undefined,
          log: silentLog,
        });
        cleanups.push(async () => {
          await subscriber.stop();
          await sqs.send(new DeleteQueueCommand({ QueueUrl: subscriber.queue.url }));
        });
        return events;
      }

      it('publishes to the smsInbound topic the JSON End User Messaging publishes, once per delivery', async () => {
        // GIVEN
        const events = await subscribeToInboundSms();
        const from = uniquePhone();
        const inboundMessageId = randomUUID();
        // WHEN the same message is delivered twice
        const answers = [];
        for (let delivery = 0; delivery < 2; delivery++) {
          const response = await post(JSON.stringify({ from, body: '9/10', messageId: inboundMessageId }));
          answers.push({ status: response.status, body: await response.json() });
        }
        // THEN
        expect(answers).toEqual([
          { status: 202, body: { inboundMessageId } },
          { status: 202, body: { inboundMessageId } },
        ]);
        const records = await pollUntil(async () => {
          const mine = events.flatMap((event) => event.Records).filter((record) => record.Sns.Message.includes(from));
          return mine.length >= 2 ? mine : undefined;
        }, within('both deliveries'));
        expect(records).toHaveLength(2);
        for (const record of records) {
          expect(record.Sns.TopicArn).toBe(localEnv[topics.smsInbound.arnEnv]);
          expect(JSON.parse(record.Sns.Message)).toEqual({
            originationNumber: from,
            destinationNumber: localEnv[env.smsOriginationNumber],
            messageKeyword: expect.stringMatching(/^KEYWORD_\d{12}$/),
            messageBody: '9/10',
            inboundMessageId,
            previousPublishedMessageId: expect.any(String),
          });
        }
        expect(new Set(records.map((record) => record.Sns.MessageId)).size).toBe(2); // two SNS messages, one inbound id
      });

      it('gives a message without an id a fresh inboundMessageId', async () => {
        const response = await post(JSON.stringify({ from: uniquePhone(), body: 'nine' }));
        expect(response.status).toBe(202);
        expect(await response.json()).toEqual({ inboundMessageId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      });

      it.each([
        ['a body that is not JSON', 'not json', 'bad_request'],
        ['a sender that is not E.164', JSON.stringify({ from: '555-0123', body: '9' }), 'validation_failed'],
        ['no text', JSON.stringify({ from: '+15555550123' }), 'validation_failed'],
      ])('answers 400 to %s', async (_, body, code) => {
        const response = await post(body);
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
      });
    });
  });
});
