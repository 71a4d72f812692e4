import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#shared/table/query';
import { updateIfStill } from '#shared/table/conditional';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { contactKey, normalizeEmail } from '#shared/core/contacts';
import { DomainError } from '#shared/core/errors';
import { gsi1, keys, storedResponse } from '#shared/table/items';
import { normalizePhone } from '#shared/core/phones';
import { deletePersonalEntries, eraseCaseGuard } from '#shared/app/followups';
import { forgetPendingText } from '#shared/app/conversations';
import { recordOptOut } from '#shared/app/contact-blocks';
import type { ErasureInput, ErasureResult } from '#shared/contract/contacts';

const contactKeysOf = (input: ErasureInput): string[] => {
  const found: string[] = [];
  if (input.email !== undefined) {
    const email = normalizeEmail(input.email);
    if (!email) throw new DomainError('validation_failed', 'email: not a valid address');
    found.push(contactKey('email', email));
  }
  if (input.phone !== undefined) {
    const phone = normalizePhone(input.phone);
    if (!phone) throw new DomainError('validation_failed', 'phone: not a mobile number in international (+) form (only mobile numbers are ever stored)');
    found.push(contactKey('phone', phone.e164));
  }
  return found;
};

const invitationsOf = async (key: string): Promise<string[]> =>
  (
    await queryAll({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': gsi1.contactInvitations(key) },
      ProjectionExpression: 'id',
    })
  ).map((item) => String(item.id));


/**
 * Erases a contact's personal data everywhere (GDPR art. 17): the address, name and phone on
 * each invitation and follow-up case, every comment the contact wrote, and the notes, replies and
 * copied comments on their cases' timelines (a manager's note may quote them, a reply reached them). What stays is
 * anonymous: the scores (so aggregates and history do not change) and the hashed address on
 * the opt-out list, so the person is never surveyed again. Running it twice is harmless.
 *
 * Each item is marked `erasedAt`, and every write of customer data is conditional on that mark
 * (answers on the response's, case creation on the case guard's, each left as a tombstone where
 * nothing was written yet; case copies on the case's). So a write that read the contact before
 * the erasure either lands before the mark (and is erased here) or is refused by DynamoDB.
 */
export const eraseContact = async (input: ErasureInput, now = new Date()): Promise<ErasureResult> => {
  const contactKeys = contactKeysOf(input);
  const erased = { invitations: 0, responses: 0, followups: 0 };
  for (const key of contactKeys) {
    const invitationIds = await invitationsOf(key);
    for (const invitationId of invitationIds) {
      const at = now.toISOString();
      if (
        await updateIfStill(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.invitation(invitationId),
            UpdateExpression: 'SET contact = :none, erasedAt = :at',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':none': {}, ':at': at },
          }),
        )
      ) {
        erased.invitations += 1;
      }
      // Unconditioned: with no answer yet it leaves the response's tombstone (erasedAt alone), which
      // refuses an answer from a page read before the erasure. The comment's folded copy goes with it.
      const { Attributes: before } = await dynamo.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.response(invitationId),
          UpdateExpression: 'SET erasedAt = :at REMOVE #comment, commentFolded',
          ExpressionAttributeNames: { '#comment': 'comment' },
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (storedResponse(before)) erased.responses += 1;
      // Marks the case guard too: with no case yet, its tombstone refuses one opening now.
      const caseId = await eraseCaseGuard(invitationId, at);
      // Before the invitation leaves the contact index, so that an erasure cut short can run again.
      if (caseId !== undefined) await deletePersonalEntries(caseId);
      if (
        caseId !== undefined &&
        (await updateIfStill(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.followup(caseId),
            UpdateExpression: 'SET contact = :none, notes = :empty, erasedAt = :at REMOVE #comment, noteCount',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#comment': 'comment' },
            ExpressionAttributeValues: { ':none': {}, ':empty': [], ':at': at },
          }),
        ))
      ) {
        erased.followups += 1;
      }
      // Leaving the contact index last: a second erasure finds nothing left to do, and one
      // that stopped half-way is finished by the next.
      await updateIfStill(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.invitation(invitationId),
          UpdateExpression: 'REMOVE GSI1PK, GSI1SK',
          ConditionExpression: 'attribute_exists(PK)',
        }),
      );
    }
    // Words an SMS conversation kept for a score that never came.
    await forgetPendingText(key);
    // On the list and stamped on the contact, so no later import reaches them; their invitations are erased already.
    await recordOptOut(key, 'erasure', now);
  }
  return { erased, optedOut: true };
};
