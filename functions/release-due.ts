/**
 * Every minute: moves held invitations that fall due within the lookahead onto the send queue,
 * then hands off whatever the outbox still holds from requests that could not.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';
import { sweepOutbox } from '#shared/app/outbox';
import { releaseDue } from '#shared/app/holding';

interface Released {
  readonly released: number;
  readonly minutes: number;
  /** Invitations whose hand-off to the queue had not gone through, handed off from the outbox. */
  readonly handedOff: number;
}

export const handler = middy<ScheduledEvent, Released, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async () => {
    const result = await releaseDue();
    const { handedOff } = await sweepOutbox();
    if (result.released > 0) logger.info('released held invitations', result);
    if (handedOff > 0) logger.warn('handed off invitations from the outbox', { handedOff });
    return { ...result, handedOff };
  });
