/**
 * SES bounce and complaint events (through SNS) → suppressed addresses. Suppressing is a put,
 * so a redelivered event changes nothing; an unreadable one throws, and SNS's Lambda retries
 * then the function's on-failure destination take it.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SNSEvent } from 'aws-lambda';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';
import { snsMessages } from '#shared/aws/events';
import { SesEvent, suppress, suppressionsOf } from '#shared/app/suppression';

export const handler = middy<SNSEvent, void, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    for (const sesEvent of snsMessages(event, SesEvent)) {
      const suppressions = suppressionsOf(sesEvent);
      await Promise.all(suppressions.map((s) => suppress(s.email, s.reason)));
      logger.info('ses event handled', { eventType: sesEvent.eventType, suppressed: suppressions.length });
    }
  });
