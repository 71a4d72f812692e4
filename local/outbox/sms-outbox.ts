import * as z from 'zod';
import { jsonResponse } from '../http/api-gateway-event.ts';
import type { LocalRoute } from '../http/host.ts';
import { OutboxPageQuery, outboxPage, parseOutboxQuery } from './outbox-page.ts';

/**
 * `GET /local/outbox/sms[?to=|phone=&limit=&cursor=]`: the SMS the handlers sent (an SNS Publish
 * to a phone number, which the SNS proxy in front of fauxqs answers and records here), newest
 * first, a page at a time (see outbox-page.ts); `to` (or its alias `phone`, E.164) keeps those
 * sent to one number.
 */

const SmsOutboxQuery = OutboxPageQuery.extend({
  to: z.string().min(1).optional(),
  phone: z.string().min(1).optional(),
}).refine((query) => query.to === undefined || query.phone === undefined || query.to === query.phone, {
  message: 'give the number once, as to or as phone',
});

export interface OutboxSms {
  /** The recipient, E.164. */
  readonly to: string;
  readonly body: string;
  /** `AWS.MM.SMS.OriginationNumber`, when the sender named one. */
  readonly originationNumber?: string;
  /** `AWS.SNS.SMS.SMSType` (Transactional | Promotional), when the sender set it. */
  readonly smsType?: string;
  /** The MessageId Publish returned. */
  readonly messageId: string;
  readonly at: string;
}

export interface SmsOutbox {
  record(sms: OutboxSms): void;
  /** Every SMS recorded, oldest first. */
  items(): readonly OutboxSms[];
}

export function createSmsOutbox(): SmsOutbox {
  const sent: OutboxSms[] = [];
  return {
    record: (sms) => void sent.push(sms),
    items: () => [...sent],
  };
}

// Digits only: an unencoded `?to=+4915…` reaches the route as " 4915…", since a query's + is a space.
const digitsOf = (phone: string) => phone.replace(/\D/g, '');

export const smsOutboxRoute = (outbox: SmsOutbox): LocalRoute => ({
  method: 'GET',
  path: '/local/outbox/sms',
  async handle({ query }) {
    const parsed = parseOutboxQuery(SmsOutboxQuery, query);
    if (!parsed.ok) return parsed.response;
    const number = parsed.value.to ?? parsed.value.phone;
    const wanted = number === undefined ? undefined : digitsOf(number);
    return jsonResponse(200, outboxPage(outbox.items(), parsed.value, wanted === undefined ? undefined : (sms) => digitsOf(sms.to) === wanted));
  },
});
