import { BatchWriteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { dynamo } from '#shared/clients';
import { tableName } from '#shared/config';
import { chunk } from '#shared/chunk';
import { contactKey, normalizeEmail } from '#shared/contacts';
import { DomainError } from '#shared/errors';
import { batchGet } from '#shared/invitations';
import { keys } from '#shared/items';

export const ErasureInput = z
  .object({ email: z.string().max(320).optional(), phone: z.string().max(40).optional() })
  .strict()
  .refine((v) => v.email !== undefined || v.phone !== undefined, { message: 'give an email or a phone' });

const contactKeysOf = (input: z.infer<typeof ErasureInput>): string[] => {
  const found: string[] = [];
  if (input.email !== undefined) {
    const email = normalizeEmail(input.email);
    if (!email) throw new DomainError('validation_failed', 'email: not a valid address');
    found.push(contactKey('email', email));
  }
  if (input.phone !== undefined) found.push(contactKey('phone', input.phone.replace(/[^\d+]/g, '')));
  return found;
};

const invitationsOf = async (key: string): Promise<{ PK: string; SK: string; invitationId: string }[]> => {
  const links: { PK: string; SK: string; invitationId: string }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :inv)',
        ExpressionAttributeValues: { ':pk': keys.contact(key).PK, ':inv': 'INV#' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      links.push({ PK: String(item.PK), SK: String(item.SK), invitationId: String(item.SK).slice('INV#'.length) });
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return links;
};

/** Runs an update that may find its item gone; true when it changed something. */
const updateIfExists = async (command: UpdateCommand): Promise<boolean> => {
  try {
    await dynamo.send(command);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/**
 * Erases a contact's personal data everywhere (GDPR art. 17): the address, name and phone on
 * each invitation and follow-up case, and every comment the contact wrote. What stays is
 * anonymous: the scores (so aggregates and history do not change) and the hashed address on
 * the opt-out list, so the person is never surveyed again. Running it twice is harmless.
 */
export const eraseContact = async (input: z.infer<typeof ErasureInput>, now = new Date()) => {
  const contactKeys = contactKeysOf(input);
  const erased = { invitations: 0, responses: 0, followups: 0 };
  for (const key of contactKeys) {
    const links = await invitationsOf(key);
    const guards = await batchGet(links.map((l) => keys.followupGuard(l.invitationId)));
    for (const link of links) {
      const at = now.toISOString();
      if (
        await updateIfExists(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.invitation(link.invitationId),
            UpdateExpression: 'SET contact = :none, erasedAt = :at',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':none': {}, ':at': at },
          }),
        )
      ) {
        erased.invitations += 1;
      }
      if (
        await updateIfExists(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.response(link.invitationId),
            UpdateExpression: 'SET erasedAt = :at REMOVE #comment',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#comment': 'comment' },
            ExpressionAttributeValues: { ':at': at },
          }),
        )
      ) {
        erased.responses += 1;
      }
      const caseId = guards.get(`${keys.followupGuard(link.invitationId).PK}|FOLLOWUP`)?.followupId;
      if (
        typeof caseId === 'string' &&
        (await updateIfExists(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.followup(caseId),
            UpdateExpression: 'SET contact = :none, notes = :empty, erasedAt = :at REMOVE #comment',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#comment': 'comment' },
            ExpressionAttributeValues: { ':none': {}, ':empty': [], ':at': at },
          }),
        ))
      ) {
        erased.followups += 1;
      }
    }
    await dynamo.send(
      new PutCommand({ TableName: tableName(), Item: { ...keys.optOut(key), optedOutAt: now.toISOString(), via: 'erasure' } }),
    );
    // The links tie a hash to invitations; they go too. The throttle item and guards hold only hashes.
    for (const part of chunk(links, 25)) {
      await dynamo.send(
        new BatchWriteCommand({
          RequestItems: { [tableName()]: part.map((l) => ({ DeleteRequest: { Key: { PK: l.PK, SK: l.SK } } })) },
        }),
      );
    }
  }
  return { erased, optedOut: true };
};
