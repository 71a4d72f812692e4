import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as SdkStreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamSource } from '#shared/contract/wiring';
import { compileFilter } from '../event-filter.ts';
import { functionArn } from '../lambda/context.ts';
import type { LocalFunction } from '../lambda/local-function.ts';
import type { RuntimeLog } from '../log.ts';
import { deliverStreamBatch, interpretStreamInvocation, type DiscardedBatch } from './batch-delivery.ts';
import { toLambdaStreamRecord, type DynamoDBStreamWindowEvent, type StreamRecord } from './stream-record.ts';

/**
 * Lambda's DynamoDB Streams event source mapping, locally: every shard is read from
 * TRIM_HORIZON (a parent shard before its children), records pass the declared filter, up to
 * `batchSize` of them are gathered within `maxBatchingWindowSeconds`, and each batch is
 * delivered with Lambda's partial-failure, bisect and retry rules (see batch-delivery.ts).
 * Shards are polled every `idlePollMs` while quiet and immediately while records remain.
 */

export interface StreamConsumerOptions {
  readonly fn: Pick<LocalFunction, 'name' | 'invoke'>;
  readonly source: StreamSource;
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly region: string;
  /** Sends one on-failure record (Lambda's JSON shape) to the function's failure destination. */
  readonly sendToFailureDestination: (message: string) => Promise<void>;
  readonly log: RuntimeLog;
  readonly idlePollMs?: number;
  readonly shardDiscoveryMs?: number;
  readonly retryDelayMs?: number;
}

export interface StreamConsumer {
  stop(): Promise<void>;
}

const getRecordsLimit = 1000;

export function startStreamConsumer(options: StreamConsumerOptions): StreamConsumer {
  const { fn, source, streams, streamArn, region, log } = options;
  const idlePollMs = options.idlePollMs ?? 250;
  // New shards appear when one closes (hours apart in AWS); a closing shard also wakes discovery.
  const shardDiscoveryMs = options.shardDiscoveryMs ?? 5000;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const passesFilter = compileFilter(source.filterPatterns);
  const abort = new AbortController();
  const { signal } = abort;
  const shardsDone = new Map<string, Promise<void>>();
  let wakeDiscovery: () => void = () => undefined;

  async function discoverShards(): Promise<void> {
    while (!signal.aborted) {
      try {
        const shards = await describeShards();
        for (const shard of shards) {
          const shardId = shard.ShardId;
          if (shardId === undefined || shardsDone.has(shardId)) continue;
          // Starts on a later microtask, once this pass has registered every new shard, so a
          // child always finds its parent's promise.
          shardsDone.set(shardId, Promise.resolve().then(() => consumeShardAfterParent(shard, shardId)));
        }
      } catch (error) {
        if (signal.aborted) return;
        if (isNamed(error, 'ResourceNotFoundException')) {
          log.info(`${fn.name}: stream ${streamArn} no longer exists; stopping`);
          return;
        }
        log.error(`${fn.name}: DescribeStream failed; retrying`, error);
      }
      await Promise.race([pause(shardDiscoveryMs), new Promise<void>((resolve) => (wakeDiscovery = resolve))]);
    }
  }

  async function describeShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
        { abortSignal: signal },
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    return shards;
  }

  async function consumeShardAfterParent(shard: Shard, shardId: string): Promise<void> {
    await (shard.ParentShardId === undefined ? undefined : shardsDone.get(shard.ParentShardId));
    try {
      await consumeShard(shardId);
      wakeDiscovery(); // its children may already be listed
    } catch (error) {
      if (signal.aborted) return;
      log.error(`${fn.name}: stopped reading shard ${shardId}`, error);
    }
  }

  async function consumeShard(shardId: string): Promise<void> {
    const reader = createShardReader(streams, streamArn, shardId, signal);
    const pending: StreamRecord[] = [];
    for (;;) {
      const batch = await gatherBatch(reader, pending);
      if (batch.length === 0) return; // the shard is closed and fully read
      await deliverStreamBatch(batch, {
        policy: { retryAttempts: source.retryAttempts, bisectBatchOnError: source.bisectBatchOnError, retryDelayMs },
        signal,
        invoke: async (records) => {
          const invocation = await fn.invoke(windowEvent(records, shardId));
          const outcome = interpretStreamInvocation(invocation, records.map(sequenceNumberOf));
          if (outcome.kind !== 'success') log.info(`${fn.name}: ${describeFailure(outcome.kind, records.length)}`);
          return outcome;
        },
        discard: async (discarded) => {
          await options.sendToFailureDestination(JSON.stringify(onFailureRecord(discarded, shardId)));
          log.error(
            `${fn.name}: ${discarded.records.length} record(s) of shard ${shardId} sent to the on-failure destination after ${discarded.invokeCount} attempts`,
          );
        },
      });
    }
  }

  /** Up to batchSize records, gathered for at most the batching window after the first one. */
  async function gatherBatch(reader: ShardReader, pending: StreamRecord[]): Promise<StreamRecord[]> {
    const batch: StreamRecord[] = [];
    let windowEndsAt: number | undefined;
    for (;;) {
      let readNothing = false;
      if (pending.length === 0 && !reader.closed) {
        const raw = await readOrPause(reader);
        readNothing = raw.length === 0;
        for (const record of raw) {
          const lambdaRecord = toLambdaStreamRecord(record, streamArn, region);
          if (lambdaRecord && passesFilter(lambdaRecord)) pending.push(lambdaRecord);
        }
      }
      batch.push(...pending.splice(0, source.batchSize - batch.length));
      if (batch.length > 0) windowEndsAt ??= Date.now() + source.maxBatchingWindowSeconds * 1000;
      if (batch.length >= source.batchSize) return batch;
      if (pending.length === 0 && reader.closed) return batch;
      const now = Date.now();
      if (windowEndsAt !== undefined && now >= windowEndsAt) return batch;
      if (readNothing) await pause(windowEndsAt === undefined ? idlePollMs : Math.min(idlePollMs, windowEndsAt - now));
    }
  }

  /** A failed read (DynamoDB Local busy, a network hiccup) is retried; the shard keeps its place. */
  async function readOrPause(reader: ShardReader): Promise<SdkStreamRecord[]> {
    try {
      return await reader.read();
    } catch (error) {
      if (signal.aborted || isNamed(error, 'ResourceNotFoundException') || isNamed(error, 'TrimmedDataAccessException')) throw error;
      log.error(`${fn.name}: GetRecords failed; retrying`, error);
      await pause(1000);
      return [];
    }
  }

  function windowEvent(records: readonly StreamRecord[], shardId: string): DynamoDBStreamWindowEvent {
    const windowMs = source.tumblingWindowSeconds * 1000;
    const start = windowMs > 0 ? Math.floor(Date.now() / windowMs) * windowMs : Date.now();
    return {
      Records: [...records],
      shardId,
      eventSourceARN: streamArn,
      window: { start: new Date(start).toISOString(), end: new Date(start + windowMs).toISOString() },
      state: {},
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    };
  }

  /** The message Lambda sends an on-failure destination for discarded stream records. */
  function onFailureRecord(discarded: DiscardedBatch<StreamRecord>, shardId: string) {
    const first = discarded.records[0];
    const last = discarded.records.at(-1);
    const arrival = (record: StreamRecord | undefined) =>
      new Date((record?.dynamodb.ApproximateCreationDateTime ?? 0) * 1000).toISOString();
    return {
      requestContext: {
        requestId: randomUUID(),
        functionArn: functionArn(fn.name, region),
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: discarded.invokeCount,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(discarded.lastOutcome === 'error' && { functionError: 'Unhandled' }),
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first?.dynamodb.SequenceNumber,
        endSequenceNumber: last?.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: discarded.records.length,
        streamArn,
      },
    };
  }

  const pause = (ms: number) => sleep(Math.max(0, ms), undefined, { signal });

  const running = discoverShards().catch((error: unknown) => {
    if (!signal.aborted) log.error(`${fn.name}: stream consumer stopped`, error);
  });

  return {
    async stop() {
      abort.abort();
      await running;
      await Promise.allSettled(shardsDone.values());
    },
  };
}

const sequenceNumberOf = (record: StreamRecord) => record.dynamodb.SequenceNumber;

const describeFailure = (kind: 'partial' | 'error', size: number) =>
  kind === 'partial' ? `batch of ${size} partially failed; retrying from the first failed record` : `batch of ${size} failed`;

interface ShardReader {
  readonly closed: boolean;
  read(): Promise<SdkStreamRecord[]>;
}

/**
 * Reads a shard from its start. An expired iterator (DynamoDB's last 15 minutes) is replaced
 * by one just after the last record read, so a long idle period loses nothing.
 */
function createShardReader(streams: DynamoDBStreamsClient, streamArn: string, shardId: string, signal: AbortSignal): ShardReader {
  let iterator: string | undefined;
  let lastSequenceNumber: string | undefined;
  let closed = false;

  const freshIterator = async () => {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(lastSequenceNumber === undefined
          ? { ShardIteratorType: 'TRIM_HORIZON' }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: lastSequenceNumber }),
      }),
      { abortSignal: signal },
    );
    return ShardIterator;
  };

  return {
    get closed() {
      return closed;
    },
    async read() {
      if (closed) return [];
      iterator ??= await freshIterator();
      if (iterator === undefined) {
        closed = true;
        return [];
      }
      try {
        const { Records = [], NextShardIterator } = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: getRecordsLimit }),
          { abortSignal: signal },
        );
        iterator = NextShardIterator;
        closed = NextShardIterator === undefined;
        lastSequenceNumber = Records.at(-1)?.dynamodb?.SequenceNumber ?? lastSequenceNumber;
        return Records;
      } catch (error) {
        iterator = undefined; // the next read resumes just after the last record read
        if (!isNamed(error, 'ExpiredIteratorException')) throw error;
        return [];
      }
    },
  };
}

const isNamed = (error: unknown, name: string) => error instanceof Error && error.name === name;
