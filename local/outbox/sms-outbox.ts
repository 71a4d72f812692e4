import { jsonResponse } from '../http/api-gateway-event.ts';
import type { LocalRoute } from '../http/host.ts';

/**
 * `GET /local/outbox/sms`: every SMS the handlers sent (an SNS Publish to a phone number, which
 * the SNS proxy in front of fauxqs answers and records here), oldest first.
 */

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
  /** Every SMS recorded, in the order they were sent. */
  items(): readonly OutboxSms[];
}

export function createSmsOutbox(): SmsOutbox {
  const sent: OutboxSms[] = [];
  return {
    record: (sms) => void sent.push(sms),
    items: () => [...sent],
  };
}

export const smsOutboxRoute = (outbox: SmsOutbox): LocalRoute => ({
  method: 'GET',
  path: '/local/outbox/sms',
  handle: async () => jsonResponse(200, { items: outbox.items() }),
});
