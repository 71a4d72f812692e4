import type { Message } from '@aws-sdk/client-sqs';
import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import { z } from 'zod';
import type { LocalFunction } from '../lambda/local-function.ts';
import type { DeliverBatch } from '../queue/queue-consumer.ts';

/**
 * SNS reaches the local runtime only through SQS subscriptions (fauxqs delivers to nothing
 * else), each message wrapped in the SNS notification envelope. This module reads that
 * envelope: for outboxes that record what was published, and to hand a topic subscriber the
 * SNSEvent Lambda would.
 */

export const snsEnvelope = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  TopicArn: z.string(),
  Subject: z.string().optional(),
  Message: z.string(),
  Timestamp: z.string(),
  SignatureVersion: z.string().default('1'),
  Signature: z.string().default(''),
  SigningCertURL: z.string().default(''),
  UnsubscribeURL: z.string().default(''),
  MessageAttributes: z.record(z.string(), z.object({ Type: z.string(), Value: z.string() })).default({}),
});
export type SnsEnvelope = z.infer<typeof snsEnvelope>;

export const parseSnsEnvelope = (body: string): SnsEnvelope => snsEnvelope.parse(parseJson(body));

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function toSnsEventRecord(envelope: SnsEnvelope, subscriptionArn: string): SNSEventRecord {
  return {
    EventVersion: '1.0',
    EventSubscriptionArn: subscriptionArn,
    EventSource: 'aws:sns',
    Sns: {
      Type: envelope.Type,
      MessageId: envelope.MessageId,
      TopicArn: envelope.TopicArn,
      ...(envelope.Subject !== undefined && { Subject: envelope.Subject }),
      Message: envelope.Message,
      Timestamp: envelope.Timestamp,
      SignatureVersion: envelope.SignatureVersion,
      Signature: envelope.Signature,
      SigningCertUrl: envelope.SigningCertURL,
      UnsubscribeUrl: envelope.UnsubscribeURL,
      MessageAttributes: envelope.MessageAttributes,
    },
  };
}

/**
 * A topic subscriber's delivery, for use with startQueueConsumer on the subscriber's SQS
 * subscription queue: Lambda invokes an SNS subscriber once per message, so each message is
 * its own SNSEvent and fails (and is retried) on its own.
 */
export function snsFunctionDelivery(fn: Pick<LocalFunction, 'invoke'>, subscriptionArn: string): DeliverBatch {
  return async (messages: readonly Message[]) => {
    const failed = new Set<string>();
    for (const message of messages) {
      const envelope = snsEnvelope.safeParse(parseJson(message.Body ?? ''));
      const event: SNSEvent | undefined = envelope.success ? { Records: [toSnsEventRecord(envelope.data, subscriptionArn)] } : undefined;
      const invocation = event && (await fn.invoke(event));
      if (!invocation?.ok) failed.add(message.MessageId ?? '');
    }
    return failed;
  };
}
