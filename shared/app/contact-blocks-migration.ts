/**
 * Opt-outs and suppressions written before they were stamped on the contact and marked on the
 * invitations (shared/app/contact-blocks.ts) have only their `OPTOUT#` / `SUPPRESS#` item. This
 * one-off migration stamps each one's contact and marks the contact's invitations that may still
 * reach them. Until it is done, the import and the send read the list's items as well
 * (`blocksStamped` says when they may stop), so nobody opted out is messaged across the upgrade.
 *
 * The lists have no index, so it scans the table for their items (keys only), a page at a time.
 * It runs inside the overdue sweep, goes on from its saved place when a run's time is up, and marks
 * itself done after a second pass that begins 15 minutes after the first (so opt-outs that functions
 * still running the version before wrote during the deploy are found too); after that a container
 * costs one read to learn so, then nothing. A table this
 * version creates has nothing to migrate: the local runtime marks it done when it makes it.
 *
 * Each stamp is written only while the list's item still exists (an SMS START may delete it
 * meanwhile), and stamps and marks are idempotent, so running it twice changes nothing.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { CONTACT_BLOCKS_MIGRATION, keys } from '#shared/table/items';
import { transactWrite } from '#shared/table/transactions';
import { blockListKey, markUnsent, stampWrite, type Block } from '#shared/app/contact-blocks';

const PAGE = 500;
// Longer than a deploy takes to replace every function: opt-outs written meanwhile by the version
// before (without a stamp) are all found by a pass that begins this long after the first.
const SETTLED_MS = 15 * 60_000;
// While it is not done, a container asks again this often, so it stops reading the lists soon after.
const RECHECK_MS = 60_000;

const PREFIXES: Record<Block, string> = { opted_out: 'OPTOUT#', suppressed: 'SUPPRESS#' };

let doneInThisContainer = false;
let asking: { promise: Promise<boolean>; until: number } | undefined;

const readDone = async (): Promise<boolean> => {
  const state = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: keys.migration(CONTACT_BLOCKS_MIGRATION), ConsistentRead: true, ProjectionExpression: 'doneAt' }),
  );
  if (state.Item?.doneAt) doneInThisContainer = true;
  return doneInThisContainer;
};

/**
 * Whether every opt-out and suppression is stamped on its contact and marked on its invitations,
 * so the import and the send may trust the stamps and marks alone. One read per container once it
 * is; sends that start together share the read.
 */
export const blocksStamped = async (now = Date.now()): Promise<boolean> => {
  if (doneInThisContainer) return true;
  if (!asking || now >= asking.until) {
    const promise = readDone();
    asking = { promise, until: now + RECHECK_MS };
    promise.catch(() => (asking = undefined));
  }
  return asking.promise;
};

export interface ContactBlocksProgress {
  /** Opt-outs and suppressions whose contact this run stamped (again, for a second run). */
  readonly stamped: number;
  /** Invitations this run marked. */
  readonly marked: number;
  readonly done: boolean;
}

const blockOf = (pk: string): { block: Block; contactKey: string } | undefined => {
  for (const [block, prefix] of Object.entries(PREFIXES) as [Block, string][]) {
    if (pk.startsWith(prefix)) return { block, contactKey: pk.slice(prefix.length) };
  }
  return undefined;
};

/** Stamps the contact while the list's item still exists; false when it is gone. */
const stampLegacy = async (contactKey: string, block: Block, at: string): Promise<boolean> => {
  try {
    await transactWrite([
      { ConditionCheck: { TableName: tableName(), Key: blockListKey(block, contactKey), ConditionExpression: 'attribute_exists(PK)' } },
      stampWrite(contactKey, block, at),
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException || error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/**
 * Stamps and marks the opt-outs and suppressions written before stamps, until `deadline` (ms since
 * the epoch); see above. Done only after a whole pass that began at least SETTLED_MS after the
 * first: while a deploy rolls out, a function still running the version before may write an
 * opt-out without its stamp behind the first pass, and the later pass finds it.
 */
export const stampLegacyBlocks = async (deadline: number, now = new Date()): Promise<ContactBlocksProgress> => {
  if (doneInThisContainer) return { stamped: 0, marked: 0, done: true };
  const state = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.migration(CONTACT_BLOCKS_MIGRATION), ConsistentRead: true }));
  if (state.Item?.doneAt) {
    doneInThisContainer = true;
    return { stamped: 0, marked: 0, done: true };
  }
  const at = now.toISOString();
  const saved = state.Item ?? {};
  const startedAt = typeof saved.startedAt === 'string' ? saved.startedAt : at;
  let lastKey = saved.lastKey as Record<string, string> | undefined;
  // A pass goes on from its saved place, or a new one begins, not before its time.
  if (!lastKey && typeof saved.nextPassAt === 'string' && now.getTime() < Date.parse(saved.nextPassAt)) return { stamped: 0, marked: 0, done: false };
  const passStartedAt = lastKey && typeof saved.passStartedAt === 'string' ? saved.passStartedAt : at;
  let stamped = 0;
  let marked = 0;
  for (;;) {
    const out = await dynamo.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'begins_with(PK, :optOut) OR begins_with(PK, :suppressed)',
        ExpressionAttributeValues: { ':optOut': PREFIXES.opted_out, ':suppressed': PREFIXES.suppressed },
        ProjectionExpression: 'PK, optedOutAt, suppressedAt',
        Limit: PAGE,
        ExclusiveStartKey: lastKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const found = blockOf(String(item.PK));
      if (!found) continue;
      const blockedAt = String(item[found.block === 'opted_out' ? 'optedOutAt' : 'suppressedAt'] ?? at);
      if (!(await stampLegacy(found.contactKey, found.block, blockedAt))) continue;
      stamped += 1;
      marked += await markUnsent(found.contactKey, found.block, now);
    }
    lastKey = out.LastEvaluatedKey as Record<string, string> | undefined;
    const passDone = !lastKey;
    const settled = Date.parse(passStartedAt) - Date.parse(startedAt) >= SETTLED_MS;
    if (passDone && settled) {
      await save({ startedAt, passStartedAt, doneAt: at });
      doneInThisContainer = true;
      return { stamped, marked, done: true };
    }
    if (passDone) {
      // The next pass begins at a later run, once the rollout has had time to finish.
      await save({ startedAt, nextPassAt: new Date(Date.parse(startedAt) + SETTLED_MS).toISOString() });
      return { stamped, marked, done: false };
    }
    await save({ startedAt, passStartedAt, lastKey });
    if (Date.now() >= deadline) return { stamped, marked, done: false };
  }
};

const save = (progress: { startedAt: string; passStartedAt?: string; nextPassAt?: string; lastKey?: Record<string, string>; doneAt?: string }) =>
  dynamo.send(new PutCommand({ TableName: tableName(), Item: { ...keys.migration(CONTACT_BLOCKS_MIGRATION), ...progress, updatedAt: new Date().toISOString() } }));

/** For tests: forget what this container learnt of the migration. */
export const forgetContactBlocksMigration = (): void => {
  doneInThisContainer = false;
  asking = undefined;
};
