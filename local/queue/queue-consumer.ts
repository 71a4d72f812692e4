import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueSource } from '#shared/contract/wiring';
import type { RuntimeLog } from '../log.ts';

/**
 * Lambda's SQS event source mapping, locally: long-polls the queue, gathers up to `batchSize`
 * messages within `maxBatchingWindowSeconds`, hands the batch to `deliver`, deletes exactly
 * the messages `deliver` did not report as failed, and makes the failed ones visible again
 * after a short local backoff so retries are quick; the queue's redrive policy moves a
 * message to its DLQ after maxReceiveCount receives. At most `maxConcurrency` batches are in
 * flight. What a batch becomes (an SQSEvent for a queue function, SNS records for a topic
 * subscriber) is up to `deliver`.
 *
 * Like Lambda's pollers, it keeps the function busy: while every slot is taken it gathers the
 * next batch (one at most), and a slot is free again as soon as an invocation returns, while
 * its messages are still being deleted. Otherwise each batch would wait for two more queue
 * round trips after the one before it, which a busy sender felt as idle concurrency.
 */

/** Delivers one batch and resolves to the ids of the messages that failed. */
export type DeliverBatch = (messages: readonly Message[]) => Promise<ReadonlySet<string>>;

export interface QueueConsumerOptions {
  readonly name: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly maxConcurrency: number;
  readonly deliver: DeliverBatch;
  readonly log: RuntimeLog;
  /** How long a failed message stays invisible before its retry. */
  readonly retryVisibilitySeconds?: number;
}

export interface QueueConsumer {
  stop(): Promise<void>;
}

const maxMessagesPerReceive = 10; // SQS's own limit per ReceiveMessage
const gatherPollMs = 100;

// Lambda's SQS poller scales out on its own; locally a few concurrent batches are plenty.
const defaultMaxConcurrency = 5;

/** Batches of a queue source in flight at once locally: its declared maxConcurrency, else a few. */
export const queueConcurrency = (source: Pick<QueueSource, 'maxConcurrency'>): number => source.maxConcurrency ?? defaultMaxConcurrency;

export function startQueueConsumer(options: QueueConsumerOptions): QueueConsumer {
  const { name, sqs, queueUrl, batchSize, log } = options;
  const retryVisibilitySeconds = options.retryVisibilitySeconds ?? 1;
  const abort = new AbortController();
  const { signal } = abort;
  const inFlight = new Set<Promise<void>>();
  let freeSlots = Math.max(1, options.maxConcurrency);
  let slotFreed: (() => void) | undefined;

  async function poll(): Promise<void> {
    while (!signal.aborted) {
      let batch: Message[];
      try {
        batch = await gatherBatch();
      } catch (error) {
        if (signal.aborted) return;
        log.error(`${name}: ReceiveMessage failed; retrying`, error);
        await sleep(1000, undefined, { signal }).catch(() => undefined);
        continue;
      }
      if (batch.length === 0) continue;
      // A batch received while every slot was taken waits for one; on stop it is left to
      // reappear after the queue's visibility timeout, like any message never acknowledged.
      while (freeSlots === 0 && !signal.aborted) await new Promise<void>((resolve) => (slotFreed = resolve));
      if (signal.aborted) return;
      freeSlots -= 1;
      const invocation = invoke(batch).finally(() => {
        freeSlots += 1;
        slotFreed?.();
        slotFreed = undefined;
      });
      const delivery = invocation.then((failed) => acknowledge(batch, failed)).finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }
  }

  async function gatherBatch(): Promise<Message[]> {
    const batch = await receive(Math.min(batchSize, maxMessagesPerReceive), 1);
    if (batch.length === 0) return batch;
    const windowEndsAt = Date.now() + options.maxBatchingWindowSeconds * 1000;
    while (batch.length < batchSize && Date.now() < windowEndsAt && !signal.aborted) {
      const more = await receive(Math.min(batchSize - batch.length, maxMessagesPerReceive), 0);
      batch.push(...more);
      if (more.length === 0) await sleep(Math.max(0, Math.min(gatherPollMs, windowEndsAt - Date.now())), undefined, { signal }).catch(() => undefined);
    }
    return batch;
  }

  async function receive(maxMessages: number, waitTimeSeconds: number): Promise<Message[]> {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: maxMessages,
        WaitTimeSeconds: waitTimeSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    return Messages;
  }

  /** The ids of the messages that failed: every one of them when `deliver` itself throws. */
  async function invoke(batch: readonly Message[]): Promise<ReadonlySet<string>> {
    try {
      return await options.deliver(batch);
    } catch (error) {
      log.error(`${name}: delivery failed`, error);
      return new Set(batch.map((message) => message.MessageId ?? ''));
    }
  }

  async function acknowledge(batch: readonly Message[], failed: ReadonlySet<string>): Promise<void> {
    const succeeded = batch.filter((message) => !failed.has(message.MessageId ?? ''));
    const retried = batch.filter((message) => failed.has(message.MessageId ?? ''));
    if (retried.length > 0) log.info(`${name}: ${retried.length} of ${batch.length} message(s) failed; retrying in ${retryVisibilitySeconds} s`);
    try {
      for (const chunk of chunks(succeeded)) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map(entry) }));
      }
      for (const chunk of chunks(retried)) {
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((message, index) => ({ ...entry(message, index), VisibilityTimeout: retryVisibilitySeconds })),
          }),
        );
      }
    } catch (error) {
      // The messages reappear after the queue's visibility timeout; nothing is lost.
      log.error(`${name}: could not acknowledge a batch`, error);
    }
  }

  const running = poll().catch((error: unknown) => {
    if (!signal.aborted) log.error(`${name}: queue consumer stopped`, error);
  });

  return {
    async stop() {
      abort.abort();
      slotFreed?.();
      await running;
      await Promise.allSettled(inFlight);
    },
  };
}

const entry = (message: Message, index: number) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle });

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += maxMessagesPerReceive) result.push(items.slice(start, start + maxMessagesPerReceive));
  return result;
}
