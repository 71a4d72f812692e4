import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { handler as handleSesEvent } from '#functions/handle-ses-event';
import { handler as handleSmsReply } from '#functions/handle-sms-reply';
import { context } from '#test/fixtures/http-event';
import { snsEvent } from '#test/fixtures/message-event';

/** The topic subscribers read each SNS message with snsMessages (shared/aws/events): an unreadable one throws, for SNS to retry. */
const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 't';
  ddb.on(PutCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(GetCommand).resolves({});
});

const hardBounce = {
  eventType: 'Bounce',
  bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Ann@Example.com' }] },
  mail: { messageId: 'ses-1' },
};

describe('handle-ses-event', () => {
  it('suppresses every recipient of a hard bounce', async () => {
    await handleSesEvent(snsEvent(JSON.stringify(hardBounce)), context);
    const puts = ddb.commandCalls(TransactWriteCommand).flatMap((c) => (c.args[0].input.TransactItems ?? []).flatMap((t) => (t.Put ? [t.Put.Item] : [])));
    expect(puts).toEqual([expect.objectContaining({ reason: 'bounce' })]);
  });

  it.each([
    ['not JSON', 'Bounce!'],
    ['JSON that is not an SES event', JSON.stringify({ notificationType: 'Bounce' })],
  ])('throws on a message that is %s, and suppresses nobody', async (_, message) => {
    await expect(handleSesEvent(snsEvent(message), context)).rejects.toThrow(/unreadable SNS record 0/);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('throws on a record that is not an SNS notification', async () => {
    const event = snsEvent(JSON.stringify(hardBounce));
    const [record] = event.Records;
    if (record) record.EventSource = 'aws:sqs';
    await expect(handleSesEvent(event, context)).rejects.toThrow();
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('handle-sms-reply', () => {
  it.each([
    ['not JSON', '9'],
    ['an inbound SMS without its message id', JSON.stringify({ originationNumber: '+15555550100', messageBody: '9' })],
  ])('throws on a message that is %s, and changes nothing', async (_, message) => {
    await expect(handleSmsReply(snsEvent(message), context)).rejects.toThrow(/unreadable SNS record 0/);
    expect(ddb.calls()).toHaveLength(0);
  });
});
