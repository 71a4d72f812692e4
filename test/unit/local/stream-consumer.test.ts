import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { pollUntil } from '#local/deadline';
import { silentLog } from '#local/log';
import { startStreamConsumer } from '#local/stream/stream-consumer';
import type { DynamoDBStreamWindowEvent } from '#local/stream/stream-record';
import type { StreamSource } from '#shared/contract/wiring';

const streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/1';
const record = (pk: string, sequenceNumber: string): _Record => ({
  eventID: pk,
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ddblocal',
  dynamodb: { Keys: { PK: { S: pk } }, SequenceNumber: sequenceNumber, ApproximateCreationDateTime: new Date(0) },
});
const source: StreamSource = {
  kind: 'stream',
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  retryAttempts: 0,
  bisectBatchOnError: false,
  tumblingWindowSeconds: 60,
  filterPatterns: [],
};

const streams = mockClient(DynamoDBStreamsClient);
afterEach(() => streams.reset());

/** Runs a consumer until `count` records were delivered; resolves to them as `shardId:PK`. */
async function deliveredRecords(count: number): Promise<string[]> {
  const delivered: string[] = [];
  const consumer = startStreamConsumer({
    fn: {
      name: 'fake',
      invoke: async (event) => {
        const { shardId, Records } = event as DynamoDBStreamWindowEvent;
        delivered.push(...Records.map((r) => `${shardId}:${r.dynamodb?.Keys?.PK?.S}`));
        return { ok: true, result: undefined };
      },
    },
    source,
    streams: new DynamoDBStreamsClient({ region: 'us-east-1' }),
    streamArn,
    region: 'us-east-1',
    sendToFailureDestination: async () => undefined,
    log: silentLog,
    idlePollMs: 10,
    shardDiscoveryMs: 50,
  });
  await pollUntil(async () => (delivered.length >= count ? true : undefined), { what: `${count} records`, timeoutMs: 5000, intervalMs: 10 });
  await consumer.stop();
  return delivered;
}

describe('stream poller shard order', () => {
  it('reads a parent shard to its end before its child, whatever order DescribeStream lists them in', async () => {
    // GIVEN a closed parent shard (slow to read) and its open child, listed child first
    streams.on(DescribeStreamCommand).resolves({
      StreamDescription: {
        Shards: [
          { ShardId: 'child', ParentShardId: 'parent' },
          { ShardId: 'parent' },
        ],
      },
    });
    streams.on(GetShardIteratorCommand).callsFake((input: { ShardId: string }) => ({ ShardIterator: `${input.ShardId}#0` }));
    streams.on(GetRecordsCommand).callsFake(async (input: { ShardIterator: string }) => {
      switch (input.ShardIterator) {
        case 'parent#0':
          await new Promise((resolve) => setTimeout(resolve, 100));
          return { Records: [record('p1', '1')], NextShardIterator: 'parent#1' };
        case 'parent#1':
          return { Records: [] }; // closed and fully read
        case 'child#0':
          return { Records: [record('c1', '2')], NextShardIterator: 'child#1' };
        default:
          return { Records: [], NextShardIterator: input.ShardIterator };
      }
    });
    // WHEN
    const delivered = await deliveredRecords(2);
    // THEN
    expect(delivered).toEqual(['parent:p1', 'child:c1']);
  });

  it('resumes just after the last record read when its shard iterator expires', async () => {
    // GIVEN an iterator that expires after the first record
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'open' }] } });
    streams
      .on(GetShardIteratorCommand, { ShardIteratorType: 'TRIM_HORIZON' })
      .resolves({ ShardIterator: 'open#0' })
      .on(GetShardIteratorCommand, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '1' })
      .resolves({ ShardIterator: 'open#after-1' });
    streams.on(GetRecordsCommand).callsFake(async (input: { ShardIterator: string }) => {
      switch (input.ShardIterator) {
        case 'open#0':
          return { Records: [record('r1', '1')], NextShardIterator: 'open#1' };
        case 'open#1':
          throw Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' });
        case 'open#after-1':
          return { Records: [record('r2', '2')], NextShardIterator: 'open#2' };
        default:
          return { Records: [], NextShardIterator: input.ShardIterator };
      }
    });
    // WHEN
    const delivered = await deliveredRecords(2);
    // THEN
    expect(delivered).toEqual(['open:r1', 'open:r2']);
  });
});
