/**
 * DynamoDB Stream (response items only, by filter) → exact aggregates, and detractors → the
 * follow-up queue. The tumbling window is configured only so Lambda tells us the shard.
 */
import middy from '@middy/core';
import type { Context, DynamoDBBatchItemFailure, DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { applyChanges } from '#shared/app/aggregates';
import { requestFollowups } from '#shared/app/followups';
import { logger } from '#shared/aws/logger';
import { readRecord, type ReadRecord } from '#shared/app/score-stream';

const ScoreStreamEvent = z.object({
  Records: z.array(z.custom<DynamoDBRecord>((r) => typeof r === 'object' && r !== null)),
  shardId: z.string().min(1),
});
type ScoreStreamEvent = z.input<typeof ScoreStreamEvent>;

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
      poison = record.dynamodb?.SequenceNumber ?? '';
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

export const handler = middy<ScoreStreamEvent, ScoreStreamResult, Error, Context>().handler(countScores);
