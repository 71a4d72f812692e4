import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/logger';
import { releaseDue } from '#shared/schedule';

/** Every minute: moves held invitations that fall due within the lookahead onto the send queue. */
export const handler = middy<ScheduledEvent, { released: number; minutes: number }, Error, Context>().handler(async () => {
  const result = await releaseDue();
  if (result.released > 0) logger.info('released held invitations', result);
  return result;
});
