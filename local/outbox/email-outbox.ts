import * as z from 'zod';
import { jsonResponse } from '../http/api-gateway-event.ts';
import type { LocalRoute } from '../http/host.ts';
import { OutboxPageQuery, outboxPage, parseOutboxQuery, sameAddress } from './outbox-page.ts';

/**
 * `GET /local/outbox/email[?to=&limit=&cursor=]`: the e-mails the SES emulator was sent, newest
 * first, a page at a time (see outbox-page.ts); `to` keeps those addressed (To, Cc or Bcc) to
 * one address.
 */

const EmailOutboxQuery = OutboxPageQuery.extend({ to: z.string().min(1).optional() });

const storedEmail = z.object({
  messageId: z.string(),
  from: z.string(),
  replyTo: z.array(z.string()).default([]),
  destination: z.object({
    to: z.array(z.string()).default([]),
    cc: z.array(z.string()).default([]),
    bcc: z.array(z.string()).default([]),
  }),
  subject: z.string(),
  body: z.object({ html: z.string().optional(), text: z.string().optional() }),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  at: z.number(),
});
const storedEmails = z.array(storedEmail);

/** Where the e-mails the SES emulator stored are read from (SesEmulator.sentEmails). */
export type SentEmailStore = () => readonly unknown[];

export interface OutboxEmail {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo: readonly string[];
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  /** The custom headers the sender set (e.g. List-Unsubscribe), in order, as SES received them. */
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly at: string;
}

/** Every email the SES emulator was sent, oldest first. */
export function readSentEmails(store: SentEmailStore): OutboxEmail[] {
  return storedEmails.parse(store()).map(
    (email): OutboxEmail => ({
      messageId: email.messageId,
      from: email.from,
      to: email.destination.to,
      cc: email.destination.cc,
      bcc: email.destination.bcc,
      replyTo: email.replyTo,
      subject: email.subject,
      ...(email.body.html !== undefined && { html: email.body.html }),
      ...(email.body.text !== undefined && { text: email.body.text }),
      headers: email.headers ?? [],
      at: new Date(email.at * 1000).toISOString(),
    }),
  );
}

export function emailOutboxRoute(store: SentEmailStore): LocalRoute {
  return {
    method: 'GET',
    path: '/local/outbox/email',
    async handle({ query }) {
      const parsed = parseOutboxQuery(EmailOutboxQuery, query);
      if (!parsed.ok) return parsed.response;
      const { to } = parsed.value;
      const addressed = to === undefined ? undefined : (email: OutboxEmail) => [...email.to, ...email.cc, ...email.bcc].some((address) => sameAddress(address, to));
      return jsonResponse(200, outboxPage(readSentEmails(store), parsed.value, addressed));
    },
  };
}
