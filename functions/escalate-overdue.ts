import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { escalateOverdue } from '#shared/app/followups';
import { logger } from '#shared/aws/logger';

/** Every five minutes: alerts the managers once more about each follow-up case left open past its due time. */
export const handler = middy<ScheduledEvent, { escalated: number }, Error, Context>().handler(async () => {
  const escalated = await escalateOverdue();
  if (escalated > 0) logger.info('overdue follow-ups escalated', { escalated });
  return { escalated };
});
