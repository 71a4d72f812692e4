/**
 * A contact's opt-out and suppression, kept where each reader already looks:
 * - the `OPTOUT#` / `SUPPRESS#` item: the list itself, by hashed address, kept through erasure
 *   (an SMS reply and a manager's reply read it);
 * - a stamp on the contact item (`optedOutAt`, `suppressedAt`): the import reads that item for the
 *   throttle anyway and conditions its write on it, so an opt-out that lands during an import is
 *   still honoured;
 * - a mark on each of the contact's invitations still to be sent or reminded (`blockedBy`): the
 *   send's claim returns it, so a send reads nothing else.
 *
 * The list item and the stamp are written in one transaction, then the invitations are marked.
 * Each step is idempotent, so a redelivered event (SNS, SQS) or a retried request finishes what an
 * attempt cut short, and a second delivery writes nothing more.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { chunk } from '#shared/core/chunk';
import { updateIfStill } from '#shared/table/conditional';
import { queryAll } from '#shared/table/query';
import { gsi1, keys, type InvitationItem } from '#shared/table/items';
import { transactWrite, type TransactItem } from '#shared/table/transactions';
import type { SuppressionReason } from '#shared/app/suppression';

export type Block = NonNullable<InvitationItem['blockedBy']>;

/** The contact item's attribute that says a block applies. */
export const contactStamp: Record<Block, 'optedOutAt' | 'suppressedAt'> = { opted_out: 'optedOutAt', suppressed: 'suppressedAt' };

/** The list's own item of a block. */
export const blockListKey = (block: Block, contactKey: string): { PK: string; SK: string } =>
  block === 'opted_out' ? keys.optOut(contactKey) : keys.suppression(contactKey);

/** Stamps the block on the contact item (made if it does not exist yet); the first time stays. */
export const stampWrite = (contactKey: string, block: Block, at: string): TransactItem => ({
  Update: {
    TableName: tableName(),
    Key: keys.contact(contactKey),
    UpdateExpression: 'SET #stamp = if_not_exists(#stamp, :at)',
    ExpressionAttributeNames: { '#stamp': contactStamp[block] },
    ExpressionAttributeValues: { ':at': at },
  },
});

// A reminder is due at most 720 hours (the campaign schema's limit) after the send.
const REMINDER_HORIZON_MS = 720 * 3_600_000;
const MARKS_AT_ONCE = 10;

/**
 * The contact's invitations: those the contact index (GSI1) shows, and the newest one the contact
 * item names. The index is eventually consistent, so an invitation written just before the stamp
 * may not show there yet; the contact item, read consistently after the stamp, names it (an
 * import writes both in one transaction, and after the stamp no import writes at all).
 */
const contactInvitationIds = async (contactKey: string): Promise<string[]> => {
  const [indexed, contact] = await Promise.all([
    queryAll({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': gsi1.contactInvitations(contactKey) },
      ProjectionExpression: 'id',
    }),
    dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactKey), ConsistentRead: true, ProjectionExpression: 'lastInvitationId' })),
  ]);
  const newest = contact.Item?.lastInvitationId;
  return [...new Set([...indexed.map((item) => String(item.id)), ...(typeof newest === 'string' ? [newest] : [])])];
};

const eachInvitation = async (contactKey: string, write: (invitationId: string) => Promise<boolean>): Promise<number> => {
  let written = 0;
  for (const part of chunk(await contactInvitationIds(contactKey), MARKS_AT_ONCE)) {
    written += (await Promise.all(part.map(write))).filter(Boolean).length;
  }
  return written;
};

// Still to be sent (or claimed by a send now), or sent with a reminder that may still come.
const STILL_TO_REACH = `(#status IN (:scheduled, :queued, :sending) OR (#status = :sent AND attribute_not_exists(remindedAt) AND sentAt > :horizon))`;
const stillToReachValues = (now: Date) => ({
  ':scheduled': 'scheduled',
  ':queued': 'queued',
  ':sending': 'sending',
  ':sent': 'sent',
  ':horizon': new Date(now.getTime() - REMINDER_HORIZON_MS).toISOString(),
});

/**
 * Marks the contact's invitations that may still reach them (queued, scheduled or being sent; sent
 * with a reminder to come) and are not erased, so their send or reminder is skipped. An opt-out
 * outranks a suppression (the send settles it withdrawn, as before marks); an invitation marked
 * so already is not written again. Returns how many it marked.
 */
export const markUnsent = (contactKey: string, block: Block, now = new Date()): Promise<number> =>
  eachInvitation(contactKey, (invitationId) =>
    updateIfStill(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET blockedBy = :block',
        ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(erasedAt) AND ${STILL_TO_REACH} AND ${
          block === 'opted_out' ? '(attribute_not_exists(blockedBy) OR blockedBy <> :block)' : 'attribute_not_exists(blockedBy)'
        }`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':block': block, ...stillToReachValues(now) },
      }),
    ),
  );

/**
 * Opts the contact out of every campaign: the opt-out list's item with the stamp on the contact,
 * then the mark on each invitation that may still reach them.
 */
export const recordOptOut = async (contactKey: string, via: 'unsubscribe' | 'sms' | 'erasure', now = new Date()): Promise<void> => {
  const at = now.toISOString();
  await transactWrite([{ Put: { TableName: tableName(), Item: { ...keys.optOut(contactKey), optedOutAt: at, via } } }, stampWrite(contactKey, 'opted_out', at)]);
  await markUnsent(contactKey, 'opted_out', now);
};

/** Suppresses an address for good (a hard bounce or a complaint), in the same three places. */
export const recordSuppression = async (contactKey: string, reason: SuppressionReason, now = new Date()): Promise<void> => {
  const at = now.toISOString();
  await transactWrite([
    { Put: { TableName: tableName(), Item: { ...keys.suppression(contactKey), reason, suppressedAt: at } } },
    stampWrite(contactKey, 'suppressed', at),
  ]);
  await markUnsent(contactKey, 'suppressed', now);
};

/**
 * Opts the contact back in (SMS START): the list's item and the stamp go together, then the
 * opt-out's marks leave the invitations still to be sent. Only a phone texts START, and only an
 * e-mail address is ever suppressed, so no suppression mark has to take the opt-out's place.
 */
export const withdrawOptOut = async (contactKey: string, now = new Date()): Promise<void> => {
  await transactWrite([
    { Delete: { TableName: tableName(), Key: keys.optOut(contactKey) } },
    {
      Update: {
        TableName: tableName(),
        Key: keys.contact(contactKey),
        UpdateExpression: 'REMOVE optedOutAt',
      },
    },
  ]);
  await eachInvitation(contactKey, (invitationId) =>
    updateIfStill(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression: 'REMOVE blockedBy',
        ConditionExpression: `blockedBy = :block AND ${STILL_TO_REACH}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':block': 'opted_out', ...stillToReachValues(now) },
      }),
    ),
  );
};
