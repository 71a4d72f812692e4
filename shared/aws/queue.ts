import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { chunk } from '#shared/core/chunk';
import { sqs } from '#shared/aws/clients';

export interface OutgoingMessage {
  readonly body: unknown;
  readonly delaySeconds?: number;
}

const MAX_ATTEMPTS = 4;

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
      for (let attempt = 1; entries.length > 0; attempt++) {
        const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0 && attempt >= MAX_ATTEMPTS) throw new Error(`could not queue ${entries.length} messages`);
      }
    }),
  );
};
