import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchWriteAll } from '#shared/table/query';
import { transactWrite } from '#shared/table/transactions';

/**
 * What each table call site retries itself, with the one backoff of core/retry.ts: what the SDK
 * does not retry (a conflicting transaction, unprocessed batch items), and nothing else.
 */
const ddb = mockClient(DynamoDBDocumentClient);
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const put = (n: number) => ({ PutRequest: { Item: { PK: `P#${n}`, SK: 'S' } } });

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 't';
  // Every wait is 0 ms: the bounds are core/retry.test.ts's to show.
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => vi.restoreAllMocks());

describe('transactWrite', () => {
  it('tries again a transaction cancelled by a conflicting one', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});
    await transactWrite([]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('gives up after seven tries with the last cancellation', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict'));
    await expect(transactWrite([])).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(7);
  });

  it('never tries again a failed condition: it is the caller\'s answer', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(transactWrite([])).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe('batchWriteAll', () => {
  it('sends again only the writes DynamoDB left unprocessed', async () => {
    ddb.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: { t: [put(3)] } }).resolves({});
    await batchWriteAll('t', [put(1), put(2), put(3)]);
    const sent = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.t);
    expect(sent).toEqual([[put(1), put(2), put(3)], [put(3)]]);
  });

  it('gives up after eight tries, naming what is left', async () => {
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: { t: [put(1)] } });
    await expect(batchWriteAll('t', [put(1)])).rejects.toThrow('DynamoDB left 1 writes unprocessed');
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(8);
  });
});

describe('batchGet', () => {
  it('asks again only for the keys DynamoDB left unprocessed, and keeps what came before', async () => {
    const [a, b] = [{ PK: 'A', SK: 'S' }, { PK: 'B', SK: 'S' }];
    ddb.on(BatchGetCommand).resolvesOnce({ Responses: { t: [a] }, UnprocessedKeys: { t: { Keys: [b] } } }).resolves({ Responses: { t: [b] } });
    const found = await batchGet([a, b]);
    expect([...found.keys()]).toEqual(['A|S', 'B|S']);
    expect(ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.t?.Keys)).toEqual([[a, b], [b]]);
  });
});
