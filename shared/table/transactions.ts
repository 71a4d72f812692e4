import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';

const MAX_CONFLICT_RETRIES = 6;

export const cancellationCodes = (error: unknown): string[] =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None') : [];

/** Another transaction touched one of the same items at the same moment: worth retrying. */
const conflicted = (error: unknown) => cancellationCodes(error).includes('TransactionConflict');

/**
 * TransactWriteItems, retried with jittered backoff when it collides with a concurrent
 * transaction on the same items. A failed condition is not retried: it is the caller's answer.
 */
/** One item of a transaction, as the document client takes it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const transactWrite = async (items: TransactWriteCommandInput['TransactItems']): Promise<void> => {
  for (let attempt = 0; ; attempt++) {
    try {
      await dynamo.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!conflicted(error) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
    }
  }
};
