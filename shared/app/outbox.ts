/**
 * The outbox between committing invitations and handing them to the send queue.
 *
 * An import writes its outbox entries, listing the ids of the invitations it is about to write,
 * before it writes any of them, so every invitation that exists is listed. (An id whose
 * invitation was never written, a duplicate or a request that stopped, is not found by the
 * sweep and so never handed off.) The request then hands them off itself (onto the queue,
 * or into the due buckets when they are held) and deletes its entries; that is only the fast
 * path. Whatever stops it (SQS refusing, the request timing out, a crash) leaves the entries,
 * and the release-due schedule hands off again each invitation that an entry older than
 * OUTBOX_GRACE_MS still lists and that no sender has claimed. An invitation handed off twice is
 * still sent once: the sender claims it with a conditional write before it sends
 * (shared/app/sending.ts). Cost: one put and one delete of a few KB per 100 invitations, written
 * 25 entries to a BatchWriteItem; the entry holds ids only, no personal data.
 */
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { tableName } from '#shared/aws/config';
import { InvitationItem, keys, withoutKeys, type InvitationStatus } from '#shared/table/items';
import { logger } from '#shared/aws/logger';
import { batchGet, batchWriteAll, queryPages } from '#shared/table/query';
import { schedule, type DueMessage } from '#shared/app/holding';
import { timeoutSeconds } from '#shared/contract/wiring';

/**
 * An entry younger than this may belong to a request that is still handing off (entries are
 * keyed by the request's start, and the admin API runs at most its timeout); the sweep leaves
 * it alone, so a slow request and the sweep do not both queue the same invitations.
 */
export const OUTBOX_GRACE_MS = (timeoutSeconds.adminApi + 1) * 1000;
/** Entries handed off per scheduled run (each up to 100 invitations); the next run goes on. */
const MAX_ENTRIES_PER_RUN = 250;

export interface OutboxEntry {
  readonly key: { PK: string; SK: string };
  readonly invitationIds: readonly string[];
}

const StoredEntry = z.object({ PK: z.string(), SK: z.string(), invitationIds: z.array(z.string()) });

export const outboxEntry = (invitationIds: readonly string[], now: Date): OutboxEntry => ({
  key: keys.outbox(now.toISOString(), ulid()),
  invitationIds,
});

/** Writes outbox entries, before the invitations they list. */
export const writeOutbox = (entries: readonly OutboxEntry[]): Promise<void> =>
  batchWriteAll(
    tableName(),
    entries.map((entry) => ({ PutRequest: { Item: { ...entry.key, invitationIds: [...entry.invitationIds] } } })),
  );

/**
 * Hands committed invitations to the queue (or holds them) and clears their outbox entries.
 * Never throws: when a step fails the entries stay and release-due hands them off later, so
 * telling the caller the invitations are accepted stays true. Returns whether it went through.
 */
export const handOff = async (messages: readonly DueMessage[], entries: readonly OutboxEntry[], now: Date): Promise<boolean> => {
  try {
    await schedule(messages, now);
    await batchWriteAll(tableName(), entries.map((e) => ({ DeleteRequest: { Key: e.key } })));
    return true;
  } catch (error) {
    logger.warn('invitations left in the outbox for release-due to hand off', {
      invitations: messages.length,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return false;
  }
};

/** Not yet claimed by a sender: handing these off again is what the outbox is for. */
const UNCLAIMED = new Set<InvitationStatus>(['queued', 'scheduled']);

/**
 * Hands off again the unclaimed invitations of every outbox entry older than OUTBOX_GRACE_MS,
 * then deletes the entry. A crash between the two hands them off once more on the next run,
 * which the sender's claim makes harmless.
 */
export const sweepOutbox = async (now = new Date()): Promise<{ entries: number; handedOff: number }> => {
  const before = new Date(now.getTime() - OUTBOX_GRACE_MS).toISOString();
  let entries = 0;
  let handedOff = 0;
  const pages = queryPages({
    TableName: tableName(),
    KeyConditionExpression: 'PK = :pk AND SK < :before',
    ExpressionAttributeValues: { ':pk': keys.outbox('', '').PK, ':before': before },
    Limit: 25,
  });
  for await (const items of pages) {
    const stale = items.map((item) => StoredEntry.parse(item));
    const found = await batchGet(stale.flatMap((entry) => entry.invitationIds.map((id) => keys.invitation(id))));
    const due = [...found.values()]
      .map((item) => InvitationItem.parse(withoutKeys(item)))
      .filter((invitation) => UNCLAIMED.has(invitation.status) && !invitation.erasedAt)
      .map((invitation): DueMessage => ({ invitationId: invitation.id, kind: 'send', dueAt: invitation.dueAt ?? invitation.createdAt }));
    await schedule(due, now);
    await batchWriteAll(tableName(), stale.map((entry) => ({ DeleteRequest: { Key: { PK: entry.PK, SK: entry.SK } } })));
    entries += stale.length;
    handedOff += due.length;
    if (entries >= MAX_ENTRIES_PER_RUN) break;
  }
  return { entries, handedOff };
};
