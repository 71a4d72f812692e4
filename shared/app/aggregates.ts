import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#shared/table/query';
import { cancellationCodes, transactWrite } from '#shared/table/transactions';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { COUNT_SHARDS, keys } from '#shared/table/items';
import { countIn } from '#shared/table/counters';
import { addTallies, change, emptyTally, score, type Tally } from '#shared/core/nps';
import {
  aggregateDeltas,
  bucket,
  countDeltas,
  DAY_MS,
  inRange,
  MAX_AGGREGATE_ITEMS,
  runsThatFit,
  segmentOf,
  segmentTallies,
  sequenceKey,
  shiftDay,
  slotOf,
  slotted,
  sumSlots,
  unslotted,
  weekOf,
  type AggregateDelta,
  type AggregateScope,
  type ResponseChange,
} from '#shared/core/aggregates';
import type { ScoreQuery, ScoreReport } from '#shared/contract/scores';



const checkpointUpdate = (shardId: string, first: string, last: string) => ({
  Update: {
    TableName: tableName(),
    Key: keys.streamCheckpoint(shardId),
    UpdateExpression: 'SET #seq = :last, #at = :at',
    ConditionExpression: 'attribute_not_exists(#seq) OR #seq < :first',
    ExpressionAttributeNames: { '#seq': 'sequence', '#at': 'updatedAt' },
    ExpressionAttributeValues: { ':first': sequenceKey(first), ':last': sequenceKey(last), ':at': new Date().toISOString() },
  },
});

const aggregateUpdate = (d: AggregateDelta, slot: number) => {
  const fields = (['promoters', 'passives', 'detractors'] as const).filter((f) => d.delta[f] !== 0);
  return {
    Update: {
      TableName: tableName(),
      Key: keys.aggregate(d.scope, slotted(d.bucket, slot)),
      UpdateExpression: `ADD ${fields.map((f) => `#${f} :${f}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(fields.map((f) => [`#${f}`, f])),
      ExpressionAttributeValues: Object.fromEntries(fields.map((f) => [`:${f}`, d.delta[f]])),
    },
  };
};

export const readCheckpoint = async (shardId: string): Promise<string | undefined> => {
  const out = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: keys.streamCheckpoint(shardId), ConsistentRead: true }),
  );
  const seq: unknown = out.Item?.sequence;
  return typeof seq === 'string' ? seq : undefined;
};


/**
 * Applies a shard's changes exactly once, however often Lambda redelivers them.
 *
 * Lambda hands a shard's records to one invocation at a time, in order, and retries a batch
 * (or its suffix from the first failed record) after a failure. So each run of changes is
 * written in ONE transaction: the net deltas, grouped per aggregate item, plus a per-shard
 * checkpoint that moves to the run's last sequence number only if it is still below the run's
 * first. A redelivered record is at or below the checkpoint; when the condition fails we read
 * the checkpoint, drop what it already covers, and write the rest. Either a whole run counts
 * or none of it does, so no crash point can count a response twice or lose it.
 * Cost: one transactional write per aggregate item per run, not per response: per scope, each
 * day, and each segment value all time and on each day in the run (no total: see bucketsOf); and one per
 * campaign whose invitations moved a counter in the run (sends, failures, clicks). Each shard
 * writes its own counter slot, so concurrent shards do not contend for one hot item.
 */
export const applyChanges = async (shardId: string, changes: readonly ResponseChange[]): Promise<void> => {
  let pending = [...changes];
  while (pending.length > 0) {
    const [run = [], ...rest] = runsThatFit(pending, MAX_AGGREGATE_ITEMS);
    const first = run[0];
    const last = run[run.length - 1];
    if (!first || !last) return;
    const deltas = aggregateDeltas(run);
    const counts = countDeltas(run);
    try {
      if (deltas.length + counts.length > 0) {
        // transactWrite retries a TransactionConflict; a failed checkpoint condition comes back here.
        await transactWrite([
          checkpointUpdate(shardId, first.sequenceNumber, last.sequenceNumber),
          ...deltas.map((d) => aggregateUpdate(d, slotOf(shardId))),
          ...counts.map((c) => countIn(c.campaignId, c.add, slotOf(shardId) % COUNT_SHARDS)),
        ]);
      }
      pending = rest.flat();
    } catch (error) {
      if (cancellationCodes(error)[0] !== 'ConditionalCheckFailed') throw error;
      const checkpoint = await readCheckpoint(shardId);
      pending = checkpoint ? pending.filter((c) => sequenceKey(c.sequenceNumber) > checkpoint) : pending;
    }
  }
};


/** An aggregate partition's items whose sort key meets `condition`. */
export const queryItems = (scope: AggregateScope, condition: string, values: Record<string, string>) =>
  queryAll({
    TableName: tableName(),
    KeyConditionExpression: `PK = :pk AND ${condition}`,
    ExpressionAttributeValues: { ':pk': keys.aggregate(scope, '').PK, ...values },
  });


const FIRST_DAY = '0000-00-00';
const LAST_DAY = '9999-99-99';

const readDays = async (scope: AggregateScope, from?: string, to?: string) => {
  const items = await queryItems(scope, 'SK BETWEEN :from AND :to', {
    ':from': bucket.day(from ?? FIRST_DAY),
    // '~' sorts after the slot digits, so the last day's slots are included.
    ':to': `${bucket.day(to ?? LAST_DAY)}#~`,
  });
  return [...sumSlots(items)].map(([name, tally]) => ({ day: name.slice(bucket.dayPrefix.length), tally }));
};


/** A scope's total: the sum of its days (see bucketsOf). */
export const readTotal = async (scope: AggregateScope): Promise<Tally> => (await readDays(scope)).map((d) => d.tally).reduce(addTallies, emptyTally);

/** The attributes a scope has counted, read from its all-time segment items. */
const countedAttributes = async (scope: AggregateScope): Promise<string[]> => {
  const items = await queryItems(scope, 'begins_with(SK, :seg)', { ':seg': bucket.segmentPrefix() });
  return [...new Set(items.flatMap((item) => segmentOf(unslotted(String(item.SK)))?.attribute ?? []))];
};

/**
 * The segment buckets a read sums: all time without a range (the cheaper read), else each
 * attribute's day-segment items in the range, one Query per attribute. The two agree, since
 * every response counts in both in the same transaction.
 */
const readSegmentBuckets = async (scope: AggregateScope, query: Pick<ScoreQuery, 'from' | 'to' | 'segment'>) => {
  if (query.from === undefined && query.to === undefined) {
    return sumSlots(await queryItems(scope, 'begins_with(SK, :seg)', { ':seg': bucket.segmentPrefix(query.segment) }));
  }
  const attributes = query.segment ? [query.segment] : await countedAttributes(scope);
  const pages = await Promise.all(
    attributes.map((attribute) => {
      const range = bucket.segmentDays(attribute, query.from ?? FIRST_DAY, query.to ?? LAST_DAY);
      return queryItems(scope, 'SK BETWEEN :from AND :to', { ':from': range.from, ':to': range.to });
    }),
  );
  return sumSlots(pages.flat());
};


/**
 * A score read: the total (or the range's), the trend by day or by week, the segment values,
 * and on request the change against the previous period of the same length with its 95%
 * interval. A handful of Query calls on aggregate items, whatever the number of responses.
 */
export const readScore = async (scope: AggregateScope, query: Omit<ScoreQuery, 'by'> & { by?: ScoreQuery['by'] }): Promise<ScoreReport> => {
  const ranged = query.from !== undefined || query.to !== undefined;
  const previous =
    query.compare && query.from && query.to
      ? (() => {
          const length = Math.round((Date.parse(query.to) - Date.parse(query.from)) / DAY_MS) + 1;
          return { from: shiftDay(query.from, -length), to: shiftDay(query.from, -1) };
        })()
      : undefined;
  // Without a range the days read are every day, and their sum is the total (see bucketsOf).
  const [dayList, segmentBuckets] = await Promise.all([readDays(scope, previous?.from ?? query.from, query.to), readSegmentBuckets(scope, query)]);
  const current = dayList.filter((d) => inRange(d.day, query.from ?? FIRST_DAY, query.to ?? LAST_DAY));
  const sum = (list: typeof dayList) => list.map((d) => d.tally).reduce(addTallies, emptyTally);
  const overall = sum(current);

  const days = current.map((d) => ({ day: d.day, ...score(d.tally) }));
  const weeks =
    query.by === 'week'
      ? { weeks: [...Map.groupBy(current, (d) => weekOf(d.day))].map(([week, list]) => ({ week, ...score(sum(list)) })) }
      : {};

  // Segment values are what recipients sent; Maps, then own properties, so none meets Object.prototype.
  const segments = Object.fromEntries(
    [...segmentTallies(segmentBuckets)].map(([attribute, values]) => [
      attribute,
      Object.fromEntries([...values].map(([value, tally]) => [value, score(tally)])),
    ]),
  );

  const comparison = previous
    ? (() => {
        const before = sum(dayList.filter((d) => inRange(d.day, previous.from, previous.to)));
        return { previous: { ...previous, ...score(before) }, change: change(before, overall) };
      })()
    : {};
  return { ...score(overall), ...(ranged ? { from: query.from, to: query.to } : {}), days, ...weeks, segments, ...comparison };
};
