import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { applyChanges } from '#shared/app/aggregates';
import { aggregateDeltas, bucket, campaignScope, sequenceKey, unslotted } from '#shared/core/aggregates';
import { keys } from '#shared/table/items';
import { responseChange } from '#test/fixtures/response-change';

const change = responseChange;

describe('applyChanges', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeEach(() => {
    ddb.reset();
    process.env.TABLE_NAME = 'npsloop-test';
  });

  it('splits a batch touching more than 99 aggregate items into transactions of at most 100, checkpoint in each, in order', async () => {
    // GIVEN 40 first answers, each on its own day, with two segment attributes
    const changes = Array.from({ length: 40 }, (_, i) =>
      change({
        sequenceNumber: String(1000 + i * 10),
        day: `2026-10-${String((i % 31) + 1).padStart(2, '0')}`,
        segments: { plan: i % 2 ? 'pro' : 'free', region: 'eu' },
        after: 'promoter',
      }),
    );
    ddb.on(TransactWriteCommand).resolves({});
    // WHEN they are applied as one batch
    await applyChanges('shard-1', changes);
    // THEN each transaction holds the checkpoint and at most 99 aggregate items
    const transactions = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
    expect(transactions.length).toBeGreaterThan(1);
    for (const items of transactions) {
      expect(items.length).toBeLessThanOrEqual(100);
      expect(items[0]?.Update?.Key).toEqual(keys.streamCheckpoint('shard-1'));
    }
    // AND the checkpoints cover the batch once, in order, each run starting after the last
    const runs = transactions.map((items) => items[0]?.Update?.ExpressionAttributeValues ?? {});
    expect(runs[0]?.[':first']).toBe(sequenceKey('1000'));
    expect(runs.at(-1)?.[':last']).toBe(sequenceKey('1390'));
    for (let i = 1; i < runs.length; i++) expect(String(runs[i]?.[':first']) > String(runs[i - 1]?.[':last'])).toBe(true);
    // AND together they add exactly the batch's net deltas, day-segment items included
    const written = new Map<string, number>();
    for (const items of transactions) {
      for (const item of items.slice(1)) {
        const key = `${String(item.Update?.Key?.PK)}|${unslotted(String(item.Update?.Key?.SK))}`;
        written.set(key, (written.get(key) ?? 0) + Number(item.Update?.ExpressionAttributeValues?.[':promoters'] ?? 0));
      }
    }
    const expected = new Map(aggregateDeltas(changes).map((d) => [`${keys.aggregate(d.scope, d.bucket).PK}|${d.bucket}`, d.delta.promoters]));
    expect(written).toEqual(expected);
    expect(written.get(`${keys.aggregate(campaignScope('c1'), '').PK}|${bucket.segmentDay('plan', '2026-10-02', 'pro')}`)).toBe(1);
  });

  it('moves the campaign counters of invitation changes in the same transaction as the checkpoint, summed per campaign', async () => {
    // GIVEN two sends and a click of one campaign, a failure of another, and a first answer
    const changes = [
      change({ sequenceNumber: '10', campaignId: 'c1', day: '', counts: { sent: 1, scheduled: -1 } }),
      change({ sequenceNumber: '11', campaignId: 'c1', day: '', counts: { sent: 1, clicked: 1 } }),
      change({ sequenceNumber: '12', campaignId: 'c2', day: '', counts: { failed: 1 } }),
      change({ sequenceNumber: '13', after: 'promoter' }),
    ];
    ddb.on(TransactWriteCommand).resolves({});
    // WHEN they are applied as one batch
    await applyChanges('shard-1', changes);
    // THEN one transaction holds the checkpoint, the score items and one counter update per campaign
    const [items = []] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(items[0]?.Update?.Key).toEqual(keys.streamCheckpoint('shard-1'));
    const counters = items.flatMap((item) => (String(item.Update?.Key?.SK).startsWith('COUNTS#') ? [item.Update] : []));
    const moved = counters.map((u) => ({
      campaign: String(u?.Key?.PK),
      add: Object.fromEntries(Object.entries(u?.ExpressionAttributeNames ?? {}).map(([name, counter]) => [counter, u?.ExpressionAttributeValues?.[`:${name.slice(1)}`]])),
    }));
    expect(moved).toEqual([
      { campaign: keys.campaign('c1').PK, add: { sent: 2, scheduled: -1, clicked: 1 } },
      { campaign: keys.campaign('c2').PK, add: { failed: 1 } },
    ]);
  });
});
