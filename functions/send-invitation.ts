/** Invitation queue → one message per invitation (and at most one reminder): e-mail through SES v2, SMS through SNS. */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '#shared/aws/logger';
import { processDue } from '#shared/app/sending';

const Message = z.object({
  invitationId: z.string().min(1).max(64),
  kind: z.enum(['send', 'reminder']).default('send'),
  dueAt: z.iso.datetime().optional(),
});

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const message = Message.parse(JSON.parse(record.body));
  const outcome = await processDue({ ...message, dueAt: message.dueAt ?? new Date(0).toISOString() });
  logger.info('invitation processed', { outcome, messageId: record.messageId });
};

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>().handler((event, context) =>
  processPartialResponse(event, recordHandler, processor, { context }),
);
