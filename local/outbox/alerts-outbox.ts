import * as z from 'zod';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { jsonResponse } from '../http/api-gateway-event.ts';
import type { LocalRoute } from '../http/host.ts';
import { createLocalQueue } from '../provision.ts';
import { messageFor, parseSnsEnvelope, structuredMessage } from '../topic/sns-envelope.ts';
import { OutboxPageQuery, outboxPage, parseOutboxQuery } from './outbox-page.ts';

/**
 * `GET /local/outbox/alerts[?campaignId=&followupId=&limit=&cursor=]`: the messages published to
 * the alerts topic, newest first, a page at a time (see outbox-page.ts); `campaignId` and
 * `followupId` keep the alerts about one campaign or one follow-up case. A queue subscribed to
 * the topic captures them (what a manager's subscription would receive); each request first
 * drains that queue, so a message published before the request is in it.
 */

const AlertsOutboxQuery = OutboxPageQuery.extend({
  campaignId: z.string().min(1).optional(),
  followupId: z.string().min(1).optional(),
});

export interface OutboxAlert {
  /** The published message as a queue subscriber gets it, parsed when it is JSON. */
  readonly message: unknown;
  /** What an e-mail subscriber reads, when the alert was published with a message per protocol. */
  readonly email?: string;
  /** What an SMS subscriber reads, likewise. */
  readonly sms?: string;
  /** SNS message attributes, as subscription filter policies see them. */
  readonly attributes: Readonly<Record<string, { readonly type: string; readonly value: string }>>;
  readonly subject?: string;
  readonly at: string;
}

export async function alertsOutboxRoute(sqs: SQSClient, sns: SNSClient, endpoint: string, topicArn: string): Promise<LocalRoute> {
  const queue = await createLocalQueue(sqs, endpoint, 'alerts-local-outbox');
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));
  const captured: OutboxAlert[] = [];
  let draining: Promise<void> = Promise.resolve();

  async function drain(): Promise<void> {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) return;
      const alerts = Messages.map((message) => toAlert(message.Body ?? ''));
      captured.push(...alerts);
      captured.sort((a, b) => a.at.localeCompare(b.at)); // SQS does not keep publish order
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
  }

  return {
    method: 'GET',
    path: '/local/outbox/alerts',
    async handle({ query }) {
      const parsed = parseOutboxQuery(AlertsOutboxQuery, query);
      if (!parsed.ok) return parsed.response;
      // One drain at a time, so two concurrent reads cannot capture a message twice.
      draining = draining.catch(() => undefined).then(drain);
      await draining;
      const { campaignId, followupId } = parsed.value;
      const about = (alert: OutboxAlert) =>
        (campaignId === undefined || idIn(alert, 'campaignId') === campaignId) && (followupId === undefined || idIn(alert, 'followupId') === followupId);
      return jsonResponse(200, outboxPage(captured, parsed.value, about));
    },
  };
}

function toAlert(body: string): OutboxAlert {
  const envelope = parseSnsEnvelope(body);
  const email = structuredMessage(envelope.Message, 'email');
  const sms = structuredMessage(envelope.Message, 'sms');
  return {
    message: parseIfJson(messageFor(envelope, 'sqs')),
    ...(email !== undefined && { email }),
    ...(sms !== undefined && { sms }),
    attributes: Object.fromEntries(
      Object.entries(envelope.MessageAttributes).map(([name, { Type, Value }]) => [name, { type: Type, value: Value }]),
    ),
    ...(envelope.Subject !== undefined && { subject: envelope.Subject }),
    at: envelope.Timestamp,
  };
}

/** An id the alert's JSON message carries (`campaignId`, `followupId`), if it has one. */
function idIn(alert: OutboxAlert, name: string): unknown {
  const { message } = alert;
  return typeof message === 'object' && message !== null && name in message ? (message as Record<string, unknown>)[name] : undefined;
}

function parseIfJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
