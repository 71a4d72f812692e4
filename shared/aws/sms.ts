import { PublishCommand, SNSServiceException } from '@aws-sdk/client-sns';
import { sns } from '#shared/aws/clients';
import { RateLimiter } from '#shared/aws/rate-limiter';
import { env } from '#shared/contract/wiring';

/**
 * The SMS send rate of one instance: the origination number's messages per second
 * (SMS_SEND_RATE; 1 for a long code) shared by the sender queue's concurrency.
 */
const limiter = new RateLimiter(
  Number(process.env[env.smsSendRate] ?? 1) / Math.max(1, Number(process.env[env.senderConcurrency] ?? 1)),
);

// SNS answers these when this message to this number can never go out.
const PERMANENT_SMS_ERRORS = new Set(['InvalidParameterException', 'InvalidParameter', 'OptedOutException', 'ValidationException']);

export const isPermanentSmsError = (error: unknown): error is SNSServiceException =>
  error instanceof SNSServiceException && PERMANENT_SMS_ERRORS.has(error.name);

/**
 * Texts `body` to an E.164 number through SNS, from the two-way origination number when one is
 * configured (so replies come back to the inbound topic), paced to the configured rate.
 */
export const sendSms = async (to: string, body: string): Promise<string | undefined> => {
  await limiter.take();
  const origination = process.env[env.smsOriginationNumber];
  const out = await sns.send(
    new PublishCommand({
      PhoneNumber: to,
      Message: body,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        ...(origination ? { 'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: origination } } : {}),
      },
    }),
  );
  return out.MessageId;
};
