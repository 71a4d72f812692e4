/**
 * The SES adapter: one SendEmail call, paced to the account's send rate, backing off with jitter
 * when SES throttles, and the list of answers that mean the message can never go out.
 */
import { SendEmailCommand, SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { ses } from '#shared/aws/clients';
import { senderEmail } from '#shared/aws/config';
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
const THROTTLING_SES_ERRORS = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException', 'Throttling']);

export const isPermanentEmailError = (error: unknown): error is SESv2ServiceException =>
  error instanceof SESv2ServiceException && PERMANENT_SES_ERRORS.has(error.name);

/**
 * The e-mail send rate of one sender instance: the account's SES MaxSendRate
 * (EMAIL_SEND_RATE, per second) shared by the queue's maximum concurrency (SENDER_CONCURRENCY).
 */
const limiter = new RateLimiter(
  Number(process.env[env.emailSendRate] ?? 14) / Math.max(1, Number(process.env[env.senderConcurrency] ?? 1)),
);

const MAX_THROTTLE_RETRIES = 4;

/** One e-mail as the sender hands it over: rendered parts, headers, and tags that carry ids only. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: readonly { name: string; value: string }[];
  readonly tags: readonly { name: string; value: string }[];
}

const commandFor = (email: OutgoingEmail) =>
  new SendEmailCommand({
    FromEmailAddress: senderEmail(),
    Destination: { ToAddresses: [email.to] },
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

/** One SES send, paced to the configured rate, backing off with jitter when SES throttles. */
export const sendEmail = async (email: OutgoingEmail): Promise<void> => {
  const command = commandFor(email);
  for (let attempt = 0; ; attempt++) {
    await limiter.take();
    try {
      await ses.send(command);
      return;
    } catch (error) {
      const throttled = error instanceof SESv2ServiceException && THROTTLING_SES_ERRORS.has(error.name);
      if (!throttled || attempt >= MAX_THROTTLE_RETRIES) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 200 * 2 ** attempt));
    }
  }
};
