import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  type BatchGetCommandOutput,
  type BatchWriteCommandOutput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { chunk } from '#shared/core/chunk';

/** Every page of a Query, one after the other (DynamoDB returns at most 1 MB a page). */
export async function* queryPages(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield out.Items ?? [];
    start = out.LastEvaluatedKey;
  } while (start);
}

/** All the items of a Query, every page read. */
export const queryAll = async (input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(input)) items.push(...page);
  return items;
};

/** BatchWriteItem for any number of requests: 25 at a time, retrying what DynamoDB leaves unprocessed. */
export const batchWriteAll = async (tableName: string, requests: readonly Record<string, unknown>[]): Promise<void> => {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: Record<string, unknown>[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 50 * 2 ** Math.min(attempt, 6)));
      const out: BatchWriteCommandOutput = await dynamo.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = out.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
    }
  }
};

/** Reads many items by key, following UnprocessedKeys; returns them by `PK|SK`. */
export const batchGet = async (wanted: readonly { PK: string; SK: string }[], projection?: string): Promise<Map<string, Record<string, unknown>>> => {
  const found = new Map<string, Record<string, unknown>>();
  for (const part of chunk(wanted, 100)) {
    let request: Record<string, unknown>[] | undefined = [...part];
    while (request && request.length > 0) {
      const out: BatchGetCommandOutput = await dynamo.send(
        new BatchGetCommand({
          RequestItems: { [tableName()]: { Keys: request, ...(projection ? { ProjectionExpression: projection } : {}) } },
        }),
      );
      for (const item of out.Responses?.[tableName()] ?? []) found.set(`${String(item.PK)}|${String(item.SK)}`, item);
      request = out.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return found;
};
