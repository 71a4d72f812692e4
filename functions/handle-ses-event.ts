import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { logger } from '#shared/aws/logger';
import { SesEvent, suppress, suppressionsOf } from '#shared/app/suppression';

/**
 * SES bounce and complaint events (through SNS) → suppressed addresses. Suppressing is a put,
 * so a redelivered event changes nothing; an unreadable one throws, and SNS's Lambda retries
 * then the function's on-failure destination take it.
 */
export const handler = middy<SNSEvent, void, Error, Context>().handler(async (event) => {
  for (const record of event.Records) {
    const parsed = SesEvent.parse(JSON.parse(record.Sns.Message));
    const suppressions = suppressionsOf(parsed);
    await Promise.all(suppressions.map((s) => suppress(s.email, s.reason)));
    logger.info('ses event handled', { eventType: parsed.eventType, suppressed: suppressions.length, messageId: record.Sns.MessageId });
  }
});
