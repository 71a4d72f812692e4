/** Follow-up queue → one case per detractor, one alert per case. */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { syncFollowup } from '#shared/app/followups';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';
import { sqsBody } from '#shared/aws/events';

const Message = z.object({ invitationId: z.string().check(z.minLength(1), z.maxLength(64)) });

// A body that is not JSON or not a Message fails its record alone, like any other failure.
const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async ({ body, messageId }: SQSRecord): Promise<void> => {
  const outcome = await syncFollowup(sqsBody(body, Message).invitationId);
  logger.info('follow-up synced', { outcome, messageId });
};

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));
