import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RuntimeLog } from './log.ts';

/**
 * DynamoDB Local never expires items, so the runtime does what DynamoDB TTL does: an item whose
 * TTL attribute is a number of epoch seconds in the past is deleted (a REMOVE on the stream).
 * The delete is conditional, so an item whose expiry moved meanwhile stays.
 */

export interface TtlSweeperOptions {
  readonly ddb: DynamoDBClient;
  readonly tableName: string;
  readonly keyNames: readonly string[];
  readonly ttlAttribute: string;
  readonly intervalMs: number;
  readonly log: RuntimeLog;
}

export function startTtlSweeper(options: TtlSweeperOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  const running = (async () => {
    while (!abort.signal.aborted) {
      await sleep(options.intervalMs, undefined, { signal: abort.signal });
      try {
        const deleted = await sweepExpiredItems(options, abort.signal);
        if (deleted > 0) options.log.info(`TTL: deleted ${deleted} expired item(s)`);
      } catch (error) {
        if (!abort.signal.aborted) options.log.error('TTL sweep failed; trying again next interval', error);
      }
    }
  })().catch(() => undefined);
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}

export async function sweepExpiredItems(options: Omit<TtlSweeperOptions, 'intervalMs' | 'log'>, signal?: AbortSignal): Promise<number> {
  const { ddb, tableName, keyNames, ttlAttribute } = options;
  const now = { ':now': { N: String(Math.floor(Date.now() / 1000)) } };
  const names = Object.fromEntries([ttlAttribute, ...keyNames].map((name, index) => [`#a${index}`, name]));
  const ttlName = '#a0';
  let deleted = 0;
  let exclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await ddb.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: `${ttlName} < :now`,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: now,
        ExclusiveStartKey: exclusiveStartKey,
      }),
      { abortSignal: signal },
    );
    for (const item of page.Items ?? []) {
      const key = Object.fromEntries(keyNames.flatMap((name) => (item[name] ? [[name, item[name]]] : [])));
      try {
        await ddb.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: key,
            ConditionExpression: `${ttlName} < :now`,
            ExpressionAttributeNames: { [ttlName]: ttlAttribute },
            ExpressionAttributeValues: now,
          }),
          { abortSignal: signal },
        );
        deleted += 1;
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      }
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return deleted;
}
