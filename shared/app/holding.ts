import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, queryPages } from '#shared/table/query';
import { dynamo } from '#shared/aws/clients';
import { sendMessages } from '#shared/aws/queue';
import { requireEnv, tableName } from '#shared/aws/config';
import { chunk } from '#shared/core/chunk';
import { keys } from '#shared/table/items';
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { queues } from '#shared/contract/wiring';

/**
 * Holding invitations until a time (a campaign's sendAt, a reminder, an SMS quiet-hours window).
 *
 * SQS can delay a message by at most 15 minutes. Anything due sooner is sent to the queue with
 * that delay; anything later is written into a per-minute bucket as groups of up to
 * GROUP_SIZE invitations per item (spread over DUE_SHARDS partitions). A scheduled function runs
 * every minute and moves the buckets due within the next RELEASE_LOOKAHEAD minutes onto the
 * queue, each message delayed to its exact second. Holding 100k invitations for a campaign's
 * sendAt costs about 200 item writes and deletes plus one short invocation a minute: no polling
 * per recipient, no re-queue loops.
 */
export const MAX_SQS_DELAY_SECONDS = 900;
export const DUE_SHARDS = 16;
export const RELEASE_LOOKAHEAD_MINUTES = 10;
/** Invitations per held item: ~60 bytes each keeps an item far below DynamoDB's 400 KB. */
export const GROUP_SIZE = 500;

/** A first send, a reminder, or a manager's SMS reply held for the customer's quiet hours to end. */
export const DueKind = z.enum(['send', 'reminder', 'reply']);
export type DueKind = z.infer<typeof DueKind>;

export const DueMessage = z.object({
  invitationId: z.string().check(z.minLength(1), z.maxLength(64)),
  kind: z._default(DueKind, 'send'),
  /** ISO time the message is due; the sender re-holds it if it arrives early. */
  dueAt: z.iso.datetime(),
  /** A reply: its case and timeline entry (the entry holds the text; the message carries ids only). */
  caseId: z.optional(z.string().check(z.maxLength(64))),
  entryId: z.optional(z.string().check(z.maxLength(64))),
});
export type DueMessage = z.input<typeof DueMessage> & { readonly kind: DueKind };

export const minuteOf = (time: Date): string => time.toISOString().slice(0, 16);

const HeldGroup = z.object({ messages: z.array(DueMessage) });

const shardOf = (groupId: string): number => {
  let hash = 0;
  for (let i = 0; i < groupId.length; i++) hash = (hash * 31 + groupId.charCodeAt(i)) >>> 0;
  return hash % DUE_SHARDS;
};

/** Groups held messages by their minute, GROUP_SIZE to an item. */
const groupsOf = (messages: readonly DueMessage[]) =>
  [...Map.groupBy(messages, (m) => minuteOf(new Date(m.dueAt)))].flatMap(([minute, list]) =>
    chunk(list, GROUP_SIZE).map((part) => ({ minute, groupId: ulid(), messages: part })),
  );

/**
 * A run's clock: the time `now` was, moved on by the real time elapsed since. A queue delay
 * counts from the moment its message is sent, so an import or a release that hands off at the
 * end of a long run measures the delay from then; measured from the run's start, every message
 * would arrive late by the run's own duration.
 */
export const runClock = (now: Date): (() => Date) => {
  const started = performance.now();
  return () => new Date(now.getTime() + (performance.now() - started));
};

const delaySeconds = (dueAt: string, now: Date) =>
  Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.ceil((Date.parse(dueAt) - now.getTime()) / 1000)));

/** Sends due messages to the invitation queue, each delayed until its time. */
export const enqueueDue = async (messages: readonly DueMessage[], now = new Date()): Promise<void> =>
  sendMessages(
    requireEnv(queues.invitations.urlEnv),
    messages.map((m) => ({ body: m, delaySeconds: delaySeconds(m.dueAt, now) })),
  );

const readCursor = async (): Promise<string | undefined> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.dueCursor(), ConsistentRead: true }));
  const minute: unknown = out.Item?.minute;
  return typeof minute === 'string' ? minute : undefined;
};

/** Whether a message due at `dueAt` must be held in a bucket rather than delayed on the queue. */
export const mustHold = (dueAt: string, now: Date): boolean =>
  Date.parse(dueAt) - now.getTime() > MAX_SQS_DELAY_SECONDS * 1000;

/**
 * Holds messages due later than SQS can delay, and queues the rest. A bucket the releaser has
 * already passed (clock skew between functions) is never written: such a message is queued
 * with the longest delay instead, and the sender holds it again if it is still early.
 */
export const schedule = async (messages: readonly DueMessage[], now = new Date()): Promise<void> => {
  const held = messages.filter((m) => mustHold(m.dueAt, now));
  const cursor = held.length > 0 ? await readCursor() : undefined;
  const behind = (m: DueMessage) => cursor !== undefined && minuteOf(new Date(m.dueAt)) <= cursor;
  const later = held.filter((m) => !behind(m));
  const soon = messages.filter((m) => !mustHold(m.dueAt, now) || behind(m));
  await batchWriteAll(
    tableName(),
    groupsOf(later).map((g) => ({
      PutRequest: { Item: { ...keys.due(g.minute, shardOf(g.groupId), g.groupId), messages: g.messages } },
    })),
  );
  if (soon.length > 0) await enqueueDue(soon, now);
};

/**
 * The write that holds one message due later than SQS can delay, for a transaction that must
 * hold it together with other items (a send's reminder is held in the same write that settles
 * the send, so a crash between the two cannot lose it). It is due further ahead than the
 * releaser ever looks, so no cursor check is needed.
 */
export const holdWrite = (message: DueMessage, now: Date) => {
  if (Date.parse(message.dueAt) - now.getTime() <= (RELEASE_LOOKAHEAD_MINUTES + MAX_SQS_DELAY_SECONDS / 60) * 60_000) {
    throw new Error('holdWrite holds only messages due beyond the releaser\'s look-ahead');
  }
  const groupId = ulid();
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.due(minuteOf(new Date(message.dueAt)), shardOf(groupId), groupId), messages: [message] },
    },
  };
};

const MINUTE_MS = 60_000;
/** Catching up after an outage goes at most this far per run; the next run goes on. */
const MAX_MINUTES_PER_RUN = 240;

/**
 * Moves every bucket due up to RELEASE_LOOKAHEAD minutes from now onto the queue, then deletes
 * it and advances the cursor. A crash between queueing and deleting queues a message again;
 * the sender is idempotent per invitation, so that sends nothing twice.
 */
export const releaseDue = async (now = new Date()): Promise<{ released: number; minutes: number }> => {
  const clock = runClock(now);
  const until = minuteOf(new Date(now.getTime() + RELEASE_LOOKAHEAD_MINUTES * MINUTE_MS));
  const cursor = await readCursor();
  // Nothing is ever held less than 15 minutes ahead, so a first run has nothing behind it.
  let minute = new Date(cursor ? Date.parse(`${cursor}:00Z`) + MINUTE_MS : now.getTime());
  let released = 0;
  let minutes = 0;
  /** One shard of a minute: each page is queued, then deleted, so a run cut off goes on where it stopped. */
  const releaseShard = async (bucket: string, shard: number) => {
    const pages = queryPages({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.due(bucket, shard, '').PK },
    });
    for await (const items of pages) {
      const due = items.flatMap((i) => HeldGroup.parse(i).messages);
      if (due.length > 0) {
        await enqueueDue(due, clock());
        await batchWriteAll(
          tableName(),
          items.map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })),
        );
        released += due.length;
      }
    }
  };
  while (minuteOf(minute) <= until && minutes < MAX_MINUTES_PER_RUN) {
    const bucket = minuteOf(minute);
    // The shards of a minute side by side: a campaign's whole audience shares one sendAt minute,
    // so this is what bounds how fast a large campaign reaches the queue.
    await Promise.all(Array.from({ length: DUE_SHARDS }, (_, shard) => releaseShard(bucket, shard)));
    await dynamo.send(new PutCommand({ TableName: tableName(), Item: { ...keys.dueCursor(), minute: bucket } }));
    minute = new Date(minute.getTime() + MINUTE_MS);
    minutes += 1;
  }
  return { released, minutes };
};
