/** Follow-up queue → one case per detractor, one alert per case. */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { syncFollowup } from '#shared/app/followups';
import { logger } from '#shared/aws/logger';

const Message = z.object({ invitationId: z.string().min(1).max(64) });

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const { invitationId } = Message.parse(JSON.parse(record.body));
  const outcome = await syncFollowup(invitationId);
  logger.info('follow-up synced', { outcome, messageId: record.messageId });
};

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>().handler((event, context) =>
  processPartialResponse(event, recordHandler, processor, { context }),
);
