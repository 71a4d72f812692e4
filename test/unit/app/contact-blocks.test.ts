import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { recordOptOut, recordSuppression } from '#shared/app/contact-blocks';
import { keys } from '#shared/table/items';

/** Where an opt-out or suppression is written, and in which order, with DynamoDB mocked. */
const ddb = mockClient(DynamoDBDocumentClient);
const now = new Date('2026-12-01T12:00:00Z');

/** Every write, in order, as `<command> <partition prefix>`. */
const writes = () =>
  ddb
    .calls()
    .map((call) => call.args[0])
    .flatMap((command) => {
      if (command instanceof TransactWriteCommand) return [`transaction ${(command.input.TransactItems ?? []).map((t) => String((t.Put?.Item ?? t.Update?.Key)?.PK).split('#')[0]).join('+')}`];
      if (command instanceof UpdateCommand) return [`update ${String(command.input.Key?.PK).split('#')[0]}`];
      return [];
    });

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 't';
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [{ id: 'inv-old' }] });
  ddb.on(GetCommand).resolves({ Item: { lastInvitationId: 'inv-new' } });
});

describe('recordOptOut', () => {
  it('writes the opt-out and the contact\'s stamp together, then marks the invitations', async () => {
    await recordOptOut('key1', 'unsubscribe', now);
    expect(writes()).toEqual(['transaction OPTOUT+CONTACT', 'update INV', 'update INV']);
    const marks = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(marks.map((m) => m.ExpressionAttributeValues?.[':block'])).toEqual(['opted_out', 'opted_out']);
  });

  it('marks the newest invitation the contact names, which the contact index may not show yet', async () => {
    // GIVEN an invitation written just before the opt-out, not yet in the (eventually consistent) contact index
    ddb.on(QueryCommand).resolves({ Items: [] });
    // WHEN the contact opts out
    await recordOptOut('key1', 'sms', now);
    // THEN the invitation the contact item names is marked, read consistently after the stamp
    expect(ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key)).toEqual([keys.invitation('inv-new')]);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ Key: keys.contact('key1'), ConsistentRead: true });
  });
});

describe('recordSuppression', () => {
  it('never overwrites an opt-out\'s mark, so a send settles it withdrawn as before', async () => {
    await recordSuppression('key1', 'bounce', now);
    expect(writes()[0]).toBe('transaction SUPPRESS+CONTACT');
    for (const call of ddb.commandCalls(UpdateCommand)) {
      expect(call.args[0].input.ExpressionAttributeValues?.[':block']).toBe('suppressed');
      expect(call.args[0].input.ConditionExpression).toContain('attribute_not_exists(blockedBy)');
    }
  });
});
