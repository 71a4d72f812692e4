import { randomBytes, randomUUID } from 'node:crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod';
import { jsonResponse } from '../http/api-gateway-event.ts';
import type { LocalRoute } from '../http/host.ts';
import { parseJsonBody } from '../http/json-body.ts';
import { e164 } from './sns-sms-proxy.ts';

/**
 * `POST /local/sms/inbound`: what AWS End User Messaging does when a customer texts the
 * origination number. With two-way SMS on, it publishes the message as JSON to the number's
 * SNS destination, the `smsInbound` topic; this route publishes the same JSON there, so the
 * subscription and the handler run as deployed. Every request is a new delivery: the same
 * messageId posted twice is published twice, as a redelivery would be.
 */

const phoneNumber = z.string().regex(e164, 'must be a phone number in E.164 format, e.g. +15555550123');

export const SimulatedInboundSms = z.strictObject({
  /** The customer's number. */
  from: phoneNumber,
  body: z.string().min(1).max(1600),
  /** The inboundMessageId; default: a fresh one. Reuse one to simulate a redelivery. */
  messageId: z.string().min(1).max(100).optional(),
  /** The number texted; default: the configured origination number. */
  to: phoneNumber.optional(),
});
export type SimulatedInboundSms = z.infer<typeof SimulatedInboundSms>;

/**
 * Keywords a long code answers by default: HELP, and the opt-out keywords carriers require
 * (https://docs.aws.amazon.com/sms-voice/latest/userguide/keywords-required.html).
 */
const defaultKeywords = new Set(['HELP', 'ARRET', 'CANCEL', 'END', 'OPT-OUT', 'OPTOUT', 'QUIT', 'REMOVE', 'STOP', 'TD', 'UNSUBSCRIBE']);

export interface InboundSmsContext {
  /** The origination number a customer replies to, when the request names none. */
  readonly destinationNumber: string;
  readonly accountId: string;
}

/**
 * The JSON two-way SMS publishes for an inbound message
 * (https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html).
 * `messageKeyword` is the keyword the message begins with when it is one of the number's
 * keywords, else `KEYWORD_<account id>`, as inbound payloads carry it. `previousPublishedMessageId`
 * is End User Messaging's id of the message being answered, not the MessageId SNS Publish
 * returned, so nothing can be correlated by it; locally it is a fresh id of that shape.
 */
export function inboundSmsPayload(input: SimulatedInboundSms, context: InboundSmsContext) {
  const firstWord = input.body.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  return {
    originationNumber: input.from,
    destinationNumber: input.to ?? context.destinationNumber,
    messageKeyword: defaultKeywords.has(firstWord) ? firstWord : `KEYWORD_${context.accountId}`,
    messageBody: input.body,
    inboundMessageId: input.messageId ?? randomUUID(),
    previousPublishedMessageId: randomBytes(20).toString('hex'),
  };
}

export interface InboundSmsRouteOptions extends InboundSmsContext {
  readonly sns: SNSClient;
  /** The smsInbound topic. */
  readonly topicArn: string;
}

export function inboundSmsRoute(options: InboundSmsRouteOptions): LocalRoute {
  return {
    method: 'POST',
    path: '/local/sms/inbound',
    async handle({ body }) {
      const parsed = parseJsonBody(SimulatedInboundSms, body);
      if (!parsed.ok) return parsed.response;
      const payload = inboundSmsPayload(parsed.value, options);
      await options.sns.send(new PublishCommand({ TopicArn: options.topicArn, Message: JSON.stringify(payload) }));
      return jsonResponse(202, { inboundMessageId: payload.inboundMessageId });
    },
  };
}
