/**
 * Invitation queue → one message per invitation (and at most one reminder), and a manager's SMS
 * replies that waited for the customer's quiet hours: e-mail through SES v2, SMS through SNS.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';
import { sqsBody } from '#shared/aws/events';
import { processDue } from '#shared/app/sending';
import { DueMessage } from '#shared/app/holding';

const Message = z.extend(DueMessage, { dueAt: z.optional(z.iso.datetime()) });

// A body that is not JSON or not a Message fails its record alone, like any other failure.
const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async ({ body, messageId }: SQSRecord): Promise<void> => {
  const message = sqsBody(body, Message);
  const outcome = await processDue({ ...message, dueAt: message.dueAt ?? new Date(0).toISOString() });
  logger.info('invitation processed', { outcome, messageId });
};

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));
