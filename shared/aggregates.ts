import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#shared/query';
import { cancellationCodes } from '#shared/transactions';
import { dynamo } from '#shared/clients';
import { tableName } from '#shared/config';
import { AGGREGATE_SLOTS, bucket, campaignScope, keys, segmentOf, slotted, unslotted, type AggregateScope } from '#shared/items';
import { addTallies, change, emptyTally, isZero, move, score, type Category, type Tally } from '#shared/nps';
import type { ScoreQuery } from '#shared/schemas';

/**
 * One response's move between categories, as a stream record shows it: `before` from the
 * OldImage, `after` from the NewImage. A removal (TTL expiry or erasure) keeps `after` equal to
 * `before`: aggregates are history, and erasing a person must not erase their anonymous score.
 */
export interface ResponseChange {
  readonly sequenceNumber: string;
  readonly campaignId: string;
  readonly day: string;
  readonly segments: Readonly<Record<string, string>>;
  readonly before?: Category;
  readonly after?: Category;
}

export interface AggregateDelta {
  readonly scope: AggregateScope;
  readonly bucket: string;
  readonly delta: Tally;
}

/** The counter slot a stream shard writes to: stable per shard, spread over AGGREGATE_SLOTS. */
export const slotOf = (shardId: string): number => {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < shardId.length; i++) hash = Math.imul(hash ^ shardId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % AGGREGATE_SLOTS;
};

/**
 * Every aggregate one response counts in: overall and per campaign, each as a total, on its
 * day, and per segment value both all time and on its day (so a range can be read by segment).
 */
export const bucketsOf = (change: Pick<ResponseChange, 'campaignId' | 'day' | 'segments'>) => {
  const buckets = [
    bucket.total,
    bucket.day(change.day),
    ...Object.entries(change.segments).flatMap(([attribute, value]) => [
      bucket.segment(attribute, value),
      bucket.segmentDay(attribute, change.day, value),
    ]),
  ];
  return (['ALL', campaignScope(change.campaignId)] as const).flatMap((scope) => buckets.map((b) => ({ scope, bucket: b })));
};

/** The net change of a run of responses, one entry per aggregate item that moves. */
export const aggregateDeltas = (changes: readonly ResponseChange[]): AggregateDelta[] => {
  const byItem = new Map<string, AggregateDelta>();
  for (const change of changes) {
    const delta = move(change.before, change.after);
    if (isZero(delta)) continue;
    for (const { scope, bucket: b } of bucketsOf(change)) {
      const id = `${scope}|${b}`;
      const prior = byItem.get(id);
      byItem.set(id, { scope, bucket: b, delta: addTallies(prior?.delta ?? emptyTally, delta) });
    }
  }
  return [...byItem.values()].filter((d) => !isZero(d.delta));
};

/** Stream sequence numbers are decimal strings of varying length; padding makes them sort as strings. */
export const sequenceKey = (sequenceNumber: string): string => sequenceNumber.padStart(48, '0');

const MAX_TRANSACTION_ITEMS = 100;
const MAX_CONFLICT_RETRIES = 6;

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
 * Splits changes into contiguous runs whose aggregate items fit in one transaction (100 items)
 * beside the checkpoint. A batch spanning many days (edits of old responses) touches a
 * day-segment item per segment value and day, so one batch may take several transactions;
 * each moves the checkpoint over exactly its own run.
 */
const runsThatFit = (changes: readonly ResponseChange[]): ResponseChange[][] => {
  const runs: ResponseChange[][] = [];
  let run: ResponseChange[] = [];
  for (const change of changes) {
    const candidate = [...run, change];
    if (run.length > 0 && aggregateDeltas(candidate).length > MAX_TRANSACTION_ITEMS - 1) {
      runs.push(run);
      run = [change];
    } else run = candidate;
  }
  if (run.length > 0) runs.push(run);
  return runs;
};

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));

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
 * Cost: one transactional write per aggregate item per run, not per response: per scope, the
 * total, each day, and each segment value all time and on each day in the run. Each shard
 * writes its own counter slot, so concurrent shards do not contend for one hot item.
 */
export const applyChanges = async (shardId: string, changes: readonly ResponseChange[]): Promise<void> => {
  let pending = [...changes];
  let conflicts = 0;
  while (pending.length > 0) {
    const [run = [], ...rest] = runsThatFit(pending);
    const first = run[0];
    const last = run[run.length - 1];
    if (!first || !last) return;
    const deltas = aggregateDeltas(run);
    try {
      if (deltas.length > 0) {
        await dynamo.send(
          new TransactWriteCommand({
            TransactItems: [
              checkpointUpdate(shardId, first.sequenceNumber, last.sequenceNumber),
              ...deltas.map((d) => aggregateUpdate(d, slotOf(shardId))),
            ],
          }),
        );
      }
      pending = rest.flat();
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes[0] === 'ConditionalCheckFailed') {
        const checkpoint = await readCheckpoint(shardId);
        pending = checkpoint ? pending.filter((c) => sequenceKey(c.sequenceNumber) > checkpoint) : pending;
      } else if (codes.includes('TransactionConflict') && conflicts < MAX_CONFLICT_RETRIES) {
        await pause(conflicts++);
      } else throw error;
    }
  }
};

const tallyOf = (item: Record<string, unknown> | undefined): Tally => ({
  promoters: Number(item?.promoters ?? 0),
  passives: Number(item?.passives ?? 0),
  detractors: Number(item?.detractors ?? 0),
});

const queryItems = (scope: AggregateScope, condition: string, values: Record<string, string>) =>
  queryAll({
    TableName: tableName(),
    KeyConditionExpression: `PK = :pk AND ${condition}`,
    ExpressionAttributeValues: { ':pk': keys.aggregate(scope, '').PK, ...values },
  });

/** Sums counter slots into one tally per bucket, in key order. */
export const sumSlots = (items: readonly Record<string, unknown>[]): Map<string, Tally> => {
  const sums = new Map<string, Tally>();
  for (const item of items) {
    const name = unslotted(String(item.SK));
    sums.set(name, addTallies(sums.get(name) ?? emptyTally, tallyOf(item)));
  }
  return sums;
};

export const readTotal = async (scope: AggregateScope): Promise<Tally> => {
  const items = await queryItems(scope, 'begins_with(SK, :total)', { ':total': `${bucket.total}#` });
  return sumSlots(items).get(bucket.total) ?? emptyTally;
};

const DAY_MS = 86_400_000;
const FIRST_DAY = '0000-00-00';
const LAST_DAY = '9999-99-99';
const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The Monday starting the ISO week of a day, which names the week's bucket. */
export const weekOf = (day: string): string => {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return shiftDay(day, -weekday);
};

const readDays = async (scope: AggregateScope, from?: string, to?: string) => {
  const items = await queryItems(scope, 'SK BETWEEN :from AND :to', {
    ':from': bucket.day(from ?? FIRST_DAY),
    // '~' sorts after the slot digits, so the last day's slots are included.
    ':to': `${bucket.day(to ?? LAST_DAY)}#~`,
  });
  return [...sumSlots(items)].map(([name, tally]) => ({ day: name.slice(bucket.dayPrefix.length), tally }));
};

const inRange = (day: string, from: string, to: string) => day >= from && day <= to;

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

/** Segment tallies by attribute and value, from summed segment buckets (all-time or per day). */
export const segmentTallies = (buckets: ReadonlyMap<string, Tally>): Map<string, Map<string, Tally>> => {
  const segments = new Map<string, Map<string, Tally>>();
  for (const [name, tally] of buckets) {
    const segment = segmentOf(name);
    if (!segment) continue;
    const values = segments.get(segment.attribute) ?? new Map<string, Tally>();
    values.set(segment.value, addTallies(values.get(segment.value) ?? emptyTally, tally));
    segments.set(segment.attribute, values);
  }
  return segments;
};

/**
 * A score read: the total (or the range's), the trend by day or by week, the segment values,
 * and on request the change against the previous period of the same length with its 95%
 * interval. A handful of Query calls on aggregate items, whatever the number of responses.
 */
export const readScore = async (scope: AggregateScope, query: Omit<ScoreQuery, 'by'> & { by?: ScoreQuery['by'] }) => {
  const ranged = query.from !== undefined || query.to !== undefined;
  const previous =
    query.compare && query.from && query.to
      ? (() => {
          const length = Math.round((Date.parse(query.to) - Date.parse(query.from)) / DAY_MS) + 1;
          return { from: shiftDay(query.from, -length), to: shiftDay(query.from, -1) };
        })()
      : undefined;
  const [total, dayList, segmentBuckets] = await Promise.all([
    ranged ? Promise.resolve(emptyTally) : readTotal(scope),
    readDays(scope, previous?.from ?? query.from, query.to),
    readSegmentBuckets(scope, query),
  ]);
  const current = dayList.filter((d) => inRange(d.day, query.from ?? FIRST_DAY, query.to ?? LAST_DAY));
  const sum = (list: typeof dayList) => list.map((d) => d.tally).reduce(addTallies, emptyTally);
  const overall = ranged ? sum(current) : total;

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
