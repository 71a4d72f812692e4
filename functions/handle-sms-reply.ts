/**
 * Inbound SMS (AWS End User Messaging two-way SMS → SNS) → the survey conversation: a score,
 * the comment after the follow-up question, STOP / START / HELP. Each inboundMessageId is
 * applied once, so SNS redelivery changes nothing twice.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SNSEvent } from 'aws-lambda';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';
import { snsMessages } from '#shared/aws/events';
import { handleInboundSms, InboundSms } from '#shared/app/conversations';

export const handler = middy<SNSEvent, void, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    for (const message of snsMessages(event, InboundSms)) {
      const outcome = await handleInboundSms(message);
      logger.info('inbound sms handled', { outcome, inboundMessageId: message.inboundMessageId });
    }
  });
