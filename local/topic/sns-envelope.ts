import type { Message } from '@aws-sdk/client-sqs';
import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import * as z from 'zod';
import { asyncOnFailureRecord } from '../lambda/async-invocation.ts';
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

/** The protocols SNS knows by name in a message published with MessageStructure `json`. */
const STRUCTURE_KEYS = new Set(['default', 'email', 'email-json', 'sms', 'sqs', 'lambda', 'http', 'https', 'application', 'firehose']);

/**
 * A message published with MessageStructure `json` (a message per protocol), as SNS would hand it
 * to a subscriber of `protocol`; undefined for any other message. fauxqs ignores MessageStructure
 * and delivers the whole document, so the local runtime does SNS's part here: an object of
 * strings, keyed only by protocol names, with a `default`.
 */
export const structuredMessage = (message: string, protocol: 'sqs' | 'lambda' | 'email' | 'sms'): string | undefined => {
  const parsed = parseJson(message);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  const isStructure = entries.every(([key, value]) => STRUCTURE_KEYS.has(key) && typeof value === 'string') && typeof (parsed as { default?: unknown }).default === 'string';
  if (!isStructure) return undefined;
  const byProtocol = parsed as Record<string, string>;
  return byProtocol[protocol] ?? byProtocol.default;
};

/** The message a subscriber of `protocol` receives: its own part of a structured message, else the message. */
export const messageFor = (envelope: SnsEnvelope, protocol: 'sqs' | 'lambda'): string => structuredMessage(envelope.Message, protocol) ?? envelope.Message;

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
      Message: messageFor(envelope, 'lambda'),
      Timestamp: envelope.Timestamp,
      SignatureVersion: envelope.SignatureVersion,
      Signature: envelope.Signature,
      SigningCertUrl: envelope.SigningCertURL,
      UnsubscribeUrl: envelope.UnsubscribeURL,
      MessageAttributes: envelope.MessageAttributes,
    },
  };
}

export interface SnsDeliveryOptions {
  readonly subscriptionArn: string;
  readonly region: string;
  /** Retries after a failed first attempt (see lambda/async-invocation.ts). */
  readonly retryAttempts: number;
  /** Sends one on-failure record (Lambda's JSON shape) to the function's failure destination. */
  readonly sendToFailureDestination: (message: string) => Promise<void>;
}

/**
 * A topic subscriber's delivery, for use with startQueueConsumer on the subscriber's SQS
 * subscription queue. SNS invokes a Lambda subscriber asynchronously, once per message, so each
 * message is its own SNSEvent and fails on its own. A failed message is reported failed (the
 * consumer makes it visible again: that is the retry) until its receive count shows the last
 * attempt; then its on-failure record goes to the failure destination and the message is done.
 */
export function snsFunctionDelivery(fn: Pick<LocalFunction, 'name' | 'invoke'>, options: SnsDeliveryOptions): DeliverBatch {
  return async (messages: readonly Message[]) => {
    const failed = new Set<string>();
    for (const message of messages) {
      const messageId = message.MessageId ?? '';
      const envelope = snsEnvelope.safeParse(parseJson(message.Body ?? ''));
      if (!envelope.success) {
        failed.add(messageId); // not an SNS notification: nothing Lambda would ever have received
        continue;
      }
      const event: SNSEvent = { Records: [toSnsEventRecord(envelope.data, options.subscriptionArn)] };
      const invocation = await fn.invoke(event);
      if (invocation.ok) continue;
      const attempt = Number(message.Attributes?.ApproximateReceiveCount ?? '1');
      if (attempt <= options.retryAttempts) {
        failed.add(messageId);
        continue;
      }
      const record = asyncOnFailureRecord({
        functionName: fn.name,
        region: options.region,
        event,
        error: invocation.error,
        invokeCount: attempt,
      });
      // If the failure destination cannot take it, the message stays and the last attempt is repeated.
      await options.sendToFailureDestination(JSON.stringify(record)).catch(() => failed.add(messageId));
    }
    return failed;
  };
}
