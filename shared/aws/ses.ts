/**
 * The SES adapter: one SendEmail call, paced to the account's send rate, and the list of answers
 * that mean the message can never go out. When SES throttles all the same, the client itself
 * backs off and retries (`maxAttempts`, adaptive mode, in `aws/clients.ts`).
 */
import { SendEmailCommand, SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { ses } from '#shared/aws/clients';
import { senderEmail } from '#shared/aws/config';
import { fromAddress } from '#shared/core/branding';
import { RateLimiter } from '#shared/aws/rate-limiter';
import { env } from '#shared/contract/wiring';

// SES answers these when the message itself can never be sent; anything else is worth a retry.
const PERMANENT_SES_ERRORS = new Set([
  'MessageRejected',
  'BadRequestException',
  'NotFoundException',
  'AccountSuspendedException',
  'SendingPausedException',
  'MailFromDomainNotVerifiedException',
]);

export const isPermanentEmailError = (error: unknown): error is SESv2ServiceException =>
  error instanceof SESv2ServiceException && PERMANENT_SES_ERRORS.has(error.name);

/**
 * The e-mail send rate of one sender instance: the account's SES MaxSendRate
 * (EMAIL_SEND_RATE, per second) shared by the queue's maximum concurrency (SENDER_CONCURRENCY).
 */
const limiter = new RateLimiter(
  Number(process.env[env.emailSendRate] ?? 14) / Math.max(1, Number(process.env[env.senderConcurrency] ?? 1)),
);

/** One e-mail as the sender hands it over: rendered parts, headers, and tags that carry ids only. */
export interface OutgoingEmail {
  /** The display name of the From address (the campaign's sender name); the address is the sender identity's. */
  readonly fromName?: string;
  readonly to: string;
  /** Where the recipient's answer goes (a manager's reply), instead of the sender identity. */
  readonly replyTo?: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: readonly { name: string; value: string }[];
  readonly tags: readonly { name: string; value: string }[];
}

const commandFor = (email: OutgoingEmail) =>
  new SendEmailCommand({
    FromEmailAddress: email.fromName ? fromAddress(email.fromName, senderEmail()) : senderEmail(),
    Destination: { ToAddresses: [email.to] },
    ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
    Content: {
      Simple: {
        Subject: { Data: email.subject, Charset: 'UTF-8' },
        Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
        Headers: email.headers.map((h) => ({ Name: h.name, Value: h.value })),
      },
    },
    EmailTags: email.tags.map((t) => ({ Name: t.name, Value: t.value })),
    ...(process.env[env.sesConfigurationSet] ? { ConfigurationSetName: process.env[env.sesConfigurationSet] } : {}),
  });

/** One SES send, paced to the configured rate; the SDK retries it when SES throttles. */
export const sendEmail = async (email: OutgoingEmail): Promise<void> => {
  await limiter.take();
  await ses.send(commandFor(email));
};
