/**
 * DynamoDB Stream (response items only, by filter) → exact aggregates, and detractors → the
 * follow-up queue. The tumbling window is configured only so Lambda tells us the shard.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, DynamoDBBatchItemFailure, DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { applyChanges } from '#shared/app/aggregates';
import { requestFollowups } from '#shared/app/followups';
import { logger } from '#shared/aws/logger';
import { metrics } from '#shared/aws/metrics';
import { readRecord, type ReadRecord } from '#shared/app/score-stream';

/** What Lambda sends a stream consumer with a tumbling window, as far as this handler reads it. */
interface ScoreStreamEvent {
  readonly Records: DynamoDBRecord[];
  readonly shardId: string;
}

/**
 * The event's own shape. Each record needs a sequence number, the identifier a batch failure
 * reports; everything else in a record is checked by readRecord, one record at a time, so a
 * poison record is reported by itself.
 */
const ScoreStreamEvent = z.object({
  Records: z.array(z.looseObject({ eventID: z.optional(z.string()), dynamodb: z.looseObject({ SequenceNumber: z.string().check(z.minLength(1)) }) })),
  shardId: z.string().check(z.minLength(1)),
});

interface ScoreStreamResult {
  readonly state: Record<string, never>;
  readonly batchItemFailures: DynamoDBBatchItemFailure[];
}

const countScores = async (event: ScoreStreamEvent): Promise<ScoreStreamResult> => {
  const { Records, shardId } = ScoreStreamEvent.parse(event);
  const read: ReadRecord[] = [];
  let poison: string | undefined;
  for (const record of Records) {
    try {
      read.push(readRecord(record));
    } catch (error) {
      // Stop at the first bad record: Lambda retries from it, then bisects and parks it.
      poison = record.dynamodb.SequenceNumber;
      logger.error('unreadable stream record', { error: error as Error, eventID: record.eventID });
      break;
    }
  }
  const first = read[0];
  try {
    // Follow-ups go out before the counts commit: a retry resends them (the consumer is
    // idempotent), but a committed checkpoint never hides one that was not sent.
    await requestFollowups(read.flatMap((r) => (r.followupFor ? [r.followupFor] : [])));
    await applyChanges(shardId, read.map((r) => r.change));
  } catch (error) {
    logger.error('could not apply score changes', { error: error as Error, records: read.length });
    return { state: {}, batchItemFailures: first ? [{ itemIdentifier: first.change.sequenceNumber }] : [] };
  }
  logger.debug('scores counted', { records: read.length, shardId });
  return { state: {}, batchItemFailures: poison === undefined ? [] : [{ itemIdentifier: poison }] };
};

export const handler = middy<ScoreStreamEvent, ScoreStreamResult, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(countScores);
