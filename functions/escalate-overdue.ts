/**
 * Every five minutes: alerts the managers once more about each follow-up case left open past its
 * due time. Until it is done, each run first spends up to half its time indexing the active cases
 * 0.1 wrote (shared/app/case-index.ts), so they show in the inbox's views, and then up to half
 * of what is left stamping the opt-outs and suppressions written before stamps on their contacts
 * (shared/app/contact-blocks-migration.ts).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { escalateOverdue } from '#shared/app/followups';
import { indexLegacyCases } from '#shared/app/case-index';
import { stampLegacyBlocks } from '#shared/app/contact-blocks-migration';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';

export const handler = middy<ScheduledEvent, { escalated: number }, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (_event, context) => {
    const migration = await indexLegacyCases(Date.now() + context.getRemainingTimeInMillis() / 2);
    if (migration.indexed > 0) logger.info('active cases indexed for the inbox', { ...migration });
    const stamps = await stampLegacyBlocks(Date.now() + context.getRemainingTimeInMillis() / 2);
    if (stamps.stamped > 0) logger.info('older opt-outs and suppressions stamped on their contacts', { ...stamps });
    const escalated = await escalateOverdue();
    if (escalated > 0) logger.info('overdue follow-ups escalated', { escalated });
    return { escalated };
  });
