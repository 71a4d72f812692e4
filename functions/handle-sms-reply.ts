import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { logger } from '#shared/aws/logger';
import { handleInboundSms, InboundSms } from '#shared/app/conversations';

/**
 * Inbound SMS (AWS End User Messaging two-way SMS → SNS) → the survey conversation: a score,
 * the comment after the follow-up question, STOP / START / HELP. Each inboundMessageId is
 * applied once, so SNS redelivery changes nothing twice.
 */
export const handler = middy<SNSEvent, void, Error, Context>().handler(async (event) => {
  for (const record of event.Records) {
    const message = InboundSms.parse(JSON.parse(record.Sns.Message));
    const outcome = await handleInboundSms(message);
    logger.info('inbound sms handled', { outcome, messageId: record.Sns.MessageId });
  }
});
