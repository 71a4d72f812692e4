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
import { retrying, Unfinished, type RetryPolicy } from '#shared/core/retry';

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

/**
 * DynamoDB leaves items unprocessed when a partition is short of capacity, and asks for
 * exponential backoff before they are sent again: from 50 ms up to 3.2 s, eight tries in all.
 */
const UNPROCESSED_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 50, maxDelayMs: 3_200 };

/** Only what DynamoDB reports unprocessed is sent again; an error of the call itself is the SDK's to retry. */
const unprocessed = (error: unknown) => error instanceof Unfinished;

/** BatchWriteItem for any number of requests: 25 at a time, retrying what DynamoDB leaves unprocessed. */
export const batchWriteAll = async (tableName: string, requests: readonly Record<string, unknown>[]): Promise<void> => {
  for (const part of chunk(requests, 25)) {
    let pending: Record<string, unknown>[] = [...part];
    await retrying(UNPROCESSED_RETRY, unprocessed, async () => {
      const out: BatchWriteCommandOutput = await dynamo.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined) ?? [];
      if (pending.length > 0) throw new Unfinished(`DynamoDB left ${pending.length} writes unprocessed`);
    });
  }
};

const BATCH_GET_LANES = 4;

/** Reads many items by key, 100 to a request and a few requests at once, following UnprocessedKeys; returns them by `PK|SK`. */
export const batchGet = async (wanted: readonly { PK: string; SK: string }[], projection?: string): Promise<Map<string, Record<string, unknown>>> => {
  const found = new Map<string, Record<string, unknown>>();
  const getPart = async (part: readonly { PK: string; SK: string }[]) => {
    let request: Record<string, unknown>[] = [...part];
    await retrying(UNPROCESSED_RETRY, unprocessed, async () => {
      const out: BatchGetCommandOutput = await dynamo.send(
        new BatchGetCommand({
          RequestItems: { [tableName()]: { Keys: request, ...(projection ? { ProjectionExpression: projection } : {}) } },
        }),
      );
      for (const item of out.Responses?.[tableName()] ?? []) found.set(`${String(item.PK)}|${String(item.SK)}`, item);
      request = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
      if (request.length > 0) throw new Unfinished(`DynamoDB left ${request.length} reads unprocessed`);
    });
  };
  // A few requests side by side: an import's 1,000 recipients need 40 of them.
  const parts = chunk(wanted, 100);
  const lane = async () => {
    for (let next = parts.shift(); next; next = parts.shift()) await getPart(next);
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_GET_LANES, parts.length) }, lane));
  return found;
};
