import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { retrying, type RetryPolicy } from '#shared/core/retry';

/** A conflicting transaction is done within tens of milliseconds: start at 20 ms, never wait a second. */
export const CONFLICT_RETRY: RetryPolicy = { attempts: 7, baseDelayMs: 20, maxDelayMs: 1_000 };

export const cancellationCodes = (error: unknown): string[] =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None') : [];

/** Another transaction touched one of the same items at the same moment: worth retrying. */
const conflicted = (error: unknown) => cancellationCodes(error).includes('TransactionConflict');

/** One item of a transaction, as the document client takes it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * TransactWriteItems, retried with jittered backoff when it collides with a concurrent
 * transaction on the same items. A failed condition is not retried: it is the caller's answer.
 */
export const transactWrite = async (items: TransactWriteCommandInput['TransactItems']): Promise<void> => {
  // Only a TransactionConflict cancellation is tried again; the SDK retries neither it nor a failed condition.
  await retrying(CONFLICT_RETRY, conflicted, () => dynamo.send(new TransactWriteCommand({ TransactItems: items })));
};
