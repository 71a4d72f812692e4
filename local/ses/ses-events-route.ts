import { randomBytes, randomUUID } from 'node:crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod';
import { jsonResponse } from '../http/api-gateway-event.ts';
import type { LocalRoute } from '../http/host.ts';
import { parseJsonBody } from '../http/json-body.ts';
import { localAccountId } from '../lambda/context.ts';
import { readSentEmails, type OutboxEmail, type SentEmailStore } from '../outbox/email-outbox.ts';
import { sameAddress } from '../outbox/outbox-page.ts';

/**
 * `POST /local/ses/events`: what SES does when a survey e-mail bounces or its recipient marks it
 * as spam. SES publishes an event record to the configuration set's event destination, the
 * `sesEvents` topic; this route publishes the same record there, so the rest of the path
 * (subscription, handler, suppression) runs as deployed. The record is about the latest e-mail
 * the SES emulator was sent for that address, when there is one, so `mail.messageId` is the id
 * SendEmail returned to the sender.
 */

export const SimulatedSesEvent = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('Bounce'),
    email: z.email(),
    bounceType: z.enum(['Permanent', 'Transient']).default('Permanent'),
  }),
  z.strictObject({ type: z.literal('Complaint'), email: z.email() }),
]);
export type SimulatedSesEvent = z.infer<typeof SimulatedSesEvent>;

/** The e-mail an event is about, as the record's `mail` object describes it. */
export interface SentMail {
  readonly messageId: string;
  readonly timestamp: string;
  /** The From header, e.g. `Surveys <surveys@example.com>`. */
  readonly source: string;
  readonly destination: readonly string[];
  readonly subject?: string;
}

export interface SesEventContext {
  readonly region: string;
  readonly configurationSetName: string;
  readonly now: Date;
}

// What a receiving server reports, per bounce type (SES retries transient failures before it gives up).
const bounceDetails = {
  Permanent: { bounceSubType: 'General', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
  Transient: { bounceSubType: 'MailboxFull', status: '4.2.2', diagnosticCode: 'smtp; 452 4.2.2 mailbox full' },
} as const;

/**
 * The JSON SES publishes to an SNS event destination for a Bounce or Complaint event
 * (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html).
 */
export function sesEventRecord(input: SimulatedSesEvent, mail: SentMail, context: SesEventContext) {
  const timestamp = context.now.toISOString();
  const sourceAddress = addressOf(mail.source);
  const mailObject = {
    timestamp: mail.timestamp,
    source: mail.source,
    sourceArn: `arn:aws:ses:${context.region}:${localAccountId}:identity/${sourceAddress}`,
    sendingAccountId: localAccountId,
    messageId: mail.messageId,
    destination: [...mail.destination],
    headersTruncated: false,
    headers: [
      { name: 'From', value: mail.source },
      { name: 'To', value: mail.destination.join(', ') },
      ...(mail.subject === undefined ? [] : [{ name: 'Subject', value: mail.subject }]),
    ],
    commonHeaders: {
      from: [mail.source],
      to: [...mail.destination],
      messageId: mail.messageId,
      ...(mail.subject !== undefined && { subject: mail.subject }),
    },
    tags: {
      'ses:configuration-set': [context.configurationSetName],
      'ses:source-ip': ['127.0.0.1'],
      'ses:from-domain': [sourceAddress.slice(sourceAddress.lastIndexOf('@') + 1)],
      'ses:caller-identity': ['local'],
    },
  };
  if (input.type === 'Complaint') {
    return {
      eventType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: input.email }],
        timestamp,
        feedbackId: sesId(),
        complaintSubType: null,
        complaintFeedbackType: 'abuse',
        arrivalDate: timestamp,
      },
      mail: mailObject,
    };
  }
  const { bounceSubType, status, diagnosticCode } = bounceDetails[input.bounceType];
  return {
    eventType: 'Bounce',
    bounce: {
      bounceType: input.bounceType,
      bounceSubType,
      bouncedRecipients: [{ emailAddress: input.email, action: 'failed', status, diagnosticCode }],
      timestamp,
      feedbackId: sesId(),
      reportingMTA: 'dsn; mx.npsloop.local',
    },
    mail: mailObject,
  };
}

/** An id in the shape SES gives messages and feedback reports. */
const sesId = () => `0100${randomBytes(6).toString('hex')}-${randomUUID()}-000000`;

const addressOf = (header: string) => /<([^>]+)>/.exec(header)?.[1] ?? header;

/** The `mail` of an event about an e-mail the SES emulator actually sent. */
export const sentMailOf = (email: OutboxEmail): SentMail => ({
  messageId: email.messageId,
  timestamp: email.at,
  source: email.from,
  destination: [...email.to, ...email.cc, ...email.bcc],
  subject: email.subject,
});

export interface SesEventsRouteOptions {
  readonly sns: SNSClient;
  readonly topicArn: string;
  /** The e-mails the SES emulator stored. */
  readonly sentEmails: SentEmailStore;
  /** The From address of an event about an e-mail the emulator never saw. */
  readonly senderEmail: string;
  readonly region: string;
  readonly configurationSetName: string;
}

export function sesEventsRoute(options: SesEventsRouteOptions): LocalRoute {
  return {
    method: 'POST',
    path: '/local/ses/events',
    async handle({ body }) {
      const parsed = parseJsonBody(SimulatedSesEvent, body);
      if (!parsed.ok) return parsed.response;
      const now = new Date();
      const record = sesEventRecord(parsed.value, mailFor(parsed.value.email, now), {
        region: options.region,
        configurationSetName: options.configurationSetName,
        now,
      });
      const { MessageId } = await options.sns.send(new PublishCommand({ TopicArn: options.topicArn, Message: JSON.stringify(record) }));
      return jsonResponse(202, { messageId: MessageId, event: record });
    },
  };

  function mailFor(email: string, now: Date): SentMail {
    const sent = readSentEmails(options.sentEmails).filter((mail) => [...mail.to, ...mail.cc, ...mail.bcc].some((address) => sameAddress(address, email)));
    const latest = sent.at(-1);
    if (latest) return sentMailOf(latest);
    return { messageId: sesId(), timestamp: now.toISOString(), source: options.senderEmail, destination: [email] };
  }
}
