import { SubscribeCommand, UnsubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalFunction } from '../lambda/local-function.ts';
import type { RuntimeLog } from '../log.ts';
import { createLocalQueue, type LocalQueue } from '../provision.ts';
import { startQueueConsumer } from '../queue/queue-consumer.ts';
import { snsFunctionDelivery } from './sns-envelope.ts';

/**
 * A Lambda subscription to an SNS topic, locally. fauxqs delivers only to SQS, so the function
 * gets a queue of its own subscribed to the topic, and a consumer turns each message on it into
 * the SNSEvent Lambda would receive, with the retries and on-failure destination of an
 * asynchronous invocation (see snsFunctionDelivery).
 */

export interface TopicSubscriberOptions {
  readonly fn: Pick<LocalFunction, 'name' | 'invoke' | 'declaration'>;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  /** The fauxqs endpoint, on which queue URLs are handed out. */
  readonly endpoint: string;
  readonly topicArn: string;
  /** Name of the subscription queue; unique per function and topic. */
  readonly queueName: string;
  readonly region: string;
  readonly retryAttempts: number;
  readonly sendToFailureDestination: (message: string) => Promise<void>;
  readonly log: RuntimeLog;
  /** How long a failed message waits for its retry. Default: 1 s. */
  readonly retryDelaySeconds?: number;
}

export interface TopicSubscriber {
  readonly queue: LocalQueue;
  readonly subscriptionArn: string;
  /** Stops delivering and removes the subscription (the queue stays, as a DLQ would). */
  stop(): Promise<void>;
}

// SNS invokes a subscriber once per message; these only bound how much one poll takes.
const messagesPerPoll = 10;
const pollsInFlight = 5;

export async function startTopicSubscriber(options: TopicSubscriberOptions): Promise<TopicSubscriber> {
  const { fn, sns, sqs, log } = options;
  const queue = await createLocalQueue(sqs, options.endpoint, options.queueName, {
    // Longer than any invocation, so a message is never handed out twice at once.
    VisibilityTimeout: String(Math.max(30, fn.declaration.timeoutSeconds * 6)),
  });
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({ TopicArn: options.topicArn, Protocol: 'sqs', Endpoint: queue.arn, ReturnSubscriptionArn: true }),
  );
  if (SubscriptionArn === undefined) throw new Error(`Subscribe returned no ARN for ${options.queueName}`);
  const consumer = startQueueConsumer({
    name: fn.name,
    sqs,
    queueUrl: queue.url,
    batchSize: messagesPerPoll,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: pollsInFlight,
    deliver: snsFunctionDelivery(fn, {
      subscriptionArn: SubscriptionArn,
      region: options.region,
      retryAttempts: options.retryAttempts,
      sendToFailureDestination: options.sendToFailureDestination,
    }),
    retryVisibilitySeconds: options.retryDelaySeconds ?? 1,
    log,
  });
  return {
    queue,
    subscriptionArn: SubscriptionArn,
    async stop() {
      await consumer.stop();
      await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    },
  };
}
