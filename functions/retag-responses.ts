/**
 * Every minute: goes on with the re-tag of stored comments after a theme change, if one is due,
 * until a minute of its time is left; the next run resumes where this one saved its place.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';
import { runRetag, type RetagRun } from '#shared/app/themes';
import { timeoutSeconds } from '#shared/contract/wiring';

const MARGIN_MS = 60_000;

export const handler = middy<ScheduledEvent, RetagRun, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (_event, context) => {
    const result = await runRetag({
      timeLeftMs: () => context.getRemainingTimeInMillis() - MARGIN_MS,
      leaseMs: timeoutSeconds.retagResponses * 1000,
    });
    if (result.ran) logger.info('re-tagged comments', { ...result });
    return result;
  });
