import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { handler as sendInvitation } from '#functions/send-invitation';
import { handler as openFollowup } from '#functions/open-followup';
import { context } from '#test/fixtures/http-event';
import { sqsEvent } from '#test/fixtures/message-event';

/** The queue consumers read each body with sqsBody (shared/aws/events) inside the batch processor: a bad one fails alone. */
const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 't';
  // Nothing is stored: the sender's claim finds the invitation gone, the follow-up consumer no response.
  ddb.on(GetCommand).resolves({});
  ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
});

const consumers = [
  ['send-invitation', sendInvitation],
  ['open-followup', openFollowup],
] as const;

describe.each(consumers)('%s', (_, handler) => {
  it('handles a batch of good messages with no failures', async () => {
    // GIVEN two well-formed messages
    const event = sqsEvent([JSON.stringify({ invitationId: 'inv1' }), JSON.stringify({ invitationId: 'inv2' })]);
    // WHEN
    const result = await handler(event, context);
    // THEN
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ddb.calls()).toHaveLength(2);
  });

  it.each([
    ['not JSON', '{"invitationId": '],
    ['JSON without an invitation id', JSON.stringify({ campaignId: 'c1' })],
    ['an invitation id that is too long', JSON.stringify({ invitationId: 'x'.repeat(65) })],
  ])('fails only the record whose body is %s, and the domain never sees it', async (_, bad) => {
    // GIVEN a good message, then a bad one
    const event = sqsEvent([JSON.stringify({ invitationId: 'inv1' }), bad]);
    // WHEN
    const result = await handler(event, context);
    // THEN
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(ddb.calls()).toHaveLength(1);
  });
});

describe('send-invitation', () => {
  it('fails a message of an unknown kind', async () => {
    const event = sqsEvent([JSON.stringify({ invitationId: 'inv1', kind: 'resend' })]);
    // A batch that fails whole is thrown, as Powertools does, so Lambda retries all of it.
    await expect(sendInvitation(event, context)).rejects.toThrow(/All records failed processing/);
    expect(ddb.calls()).toHaveLength(0);
  });
});
