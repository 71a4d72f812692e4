/**
 * Cases written by 0.1 predate the inbox's index of active cases (the sparse GSI3): an open one
 * would be missing from the open, overdue and mine views until someone touched it. This one-off
 * migration gives every case that is not closed its GSI3 keys. It runs inside the overdue sweep
 * (every five minutes), goes on from its saved place when a run's time is up, and marks itself
 * done; after that a container costs one read to learn so, then nothing.
 *
 * Each case is written with a condition (still not closed, still not indexed), so a case closed
 * or indexed meanwhile is left as it is, and running the migration twice changes nothing.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { updateIfStill } from '#shared/table/conditional';
import { tableName } from '#shared/aws/config';
import { LEGACY_RESOLVED } from '#shared/core/vocabulary';
import { decodeCursor, encodeCursor } from '#shared/table/cursor';
import { gsi1, gsi3, gsi3Sort, keys } from '#shared/table/items';

const MIGRATION = 'CASE_INDEX_GSI3';
const PAGE = 200;

let doneInThisContainer = false;

export interface CaseIndexProgress {
  /** Cases given their index keys by this run. */
  readonly indexed: number;
  readonly done: boolean;
}

/** Indexes the active cases 0.1 left unindexed, until `deadline` (ms since the epoch); see above. */
export const indexLegacyCases = async (deadline: number, now = new Date()): Promise<CaseIndexProgress> => {
  if (doneInThisContainer) return { indexed: 0, done: true };
  const state = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.migration(MIGRATION), ConsistentRead: true }));
  if (state.Item?.doneAt) {
    doneInThisContainer = true;
    return { indexed: 0, done: true };
  }
  let cursor = typeof state.Item?.cursor === 'string' ? state.Item.cursor : undefined;
  let indexed = 0;
  do {
    const out = await dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        FilterExpression: 'attribute_not_exists(GSI3PK) AND NOT #status IN (:closed, :resolved)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': gsi1.followups, ':closed': 'closed', ':resolved': LEGACY_RESOLVED },
        Limit: PAGE,
        ExclusiveStartKey: decodeCursor(cursor, { attribute: 'GSI1PK', value: gsi1.followups }),
      }),
    );
    for (const item of out.Items ?? []) {
      if (typeof item.id !== 'string' || typeof item.dueAt !== 'string') continue;
      if (await indexCase(item.id, item.dueAt)) indexed++;
    }
    cursor = encodeCursor(out.LastEvaluatedKey);
    await save(cursor, now);
  } while (cursor && Date.now() < deadline);
  if (!cursor) doneInThisContainer = true;
  return { indexed, done: !cursor };
};

const indexCase = async (id: string, dueAt: string): Promise<boolean> => {
  return updateIfStill(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.followup(id),
      UpdateExpression: 'SET GSI3PK = :active, GSI3SK = :due',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(GSI3PK) AND NOT #status IN (:closed, :resolved)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': gsi3.activeFollowups, ':due': gsi3Sort({ dueAt, id }), ':closed': 'closed', ':resolved': LEGACY_RESOLVED },
    }),
  );
};

const save = (cursor: string | undefined, now: Date) =>
  dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.migration(MIGRATION), ...(cursor ? { cursor } : { doneAt: now.toISOString() }), updatedAt: now.toISOString() },
    }),
  );

/** For tests: forget that this container saw the migration done. */
export const forgetCaseIndexMigration = (): void => {
  doneInThisContainer = false;
};
