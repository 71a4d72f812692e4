/** Every five minutes: alerts the managers once more about each follow-up case left open past its due time. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { escalateOverdue } from '#shared/app/followups';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';

export const handler = middy<ScheduledEvent, { escalated: number }, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async () => {
    const escalated = await escalateOverdue();
    if (escalated > 0) logger.info('overdue follow-ups escalated', { escalated });
    return { escalated };
  });
