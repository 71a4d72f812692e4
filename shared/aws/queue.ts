import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { chunk } from '#shared/core/chunk';
import { retrying, Unfinished, type RetryPolicy } from '#shared/core/retry';
import { sqs } from '#shared/aws/clients';

export interface OutgoingMessage {
  readonly body: unknown;
  readonly delaySeconds?: number;
}

/** Failed entries of a batch are a queue's passing trouble: a few quick tries, then the caller's retry. */
const FAILED_ENTRIES_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 50, maxDelayMs: 1_000 };

/**
 * Sends messages to a queue in batches of 10, resending the entries SQS reports as failed; it
 * throws only when some still fail after a few attempts, so the caller's retry covers them.
 */
export const sendMessages = async (queueUrl: string, messages: readonly OutgoingMessage[]): Promise<void> => {
  await Promise.all(
    chunk(messages, 10).map(async (part) => {
      let entries = part.map((m, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify(m.body),
        ...(m.delaySeconds !== undefined ? { DelaySeconds: m.delaySeconds } : {}),
      }));
      // Only the entries SQS lists as Failed are sent again; an error of the call itself is the SDK's to retry.
      await retrying(FAILED_ENTRIES_RETRY, (error) => error instanceof Unfinished, async () => {
        const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0) throw new Unfinished(`could not queue ${entries.length} messages`);
      });
    }),
  );
};
