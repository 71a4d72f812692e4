import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MessageRejected, SendEmailCommand, SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { EffectInFlight } from '#shared/table/lease';
import { CONTACT_BLOCKS_MIGRATION, keys } from '#shared/table/items';
import { forgetContactBlocksMigration } from '#shared/app/contact-blocks-migration';
import { processDue } from '#shared/app/sending';
import { forgetCampaigns } from '#shared/app/campaigns';
import { invitationCounts } from '#shared/app/score-stream';
import { InvitationItem } from '#shared/table/items';

/** The sender's rules, with DynamoDB and SES mocked: exactly one terminal state, counted once. */
const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const now = new Date('2026-11-23T12:00:00Z');
const due = { invitationId: 'inv1', kind: 'send' as const, dueAt: '2026-11-23T11:59:00Z' };

// Campaign ids are ULIDs; anything else is never looked up.
const CAMPAIGN_ID = '01KB0000000000000000000000';
const campaign = { id: CAMPAIGN_ID, name: 'n', brand: 'Acme', channel: 'email', locale: 'en', segments: [], throttleDays: 90, createdAt: 'x' };
const invitation = (overrides: Record<string, unknown> = {}) => ({
  id: 'inv1',
  campaignId: CAMPAIGN_ID,
  channel: 'email',
  contact: { email: 'ann@example.com' },
  contactKey: 'key1',
  segments: {},
  status: 'queued',
  createdAt: 'x',
  ...overrides,
});

/** The invitation as the last claim left it. */
let claimed: Record<string, unknown> | undefined;
/** Whether the one-off migration has stamped and marked every older opt-out and suppression. */
let migrated = true;

/** What the claim's conditioned write does to the stored invitation: claims it, or refuses and returns it. */
const claimOf = (stored: Record<string, unknown>) => async (input: { ReturnValues?: string; ExpressionAttributeValues?: Record<string, unknown> }) => {
  if (input.ReturnValues !== 'ALL_NEW') return {};
  const values = input.ExpressionAttributeValues ?? {};
  const leaseEnded = String(values[':leaseEnded']);
  const claimable = ['queued', 'scheduled'].includes(String(stored.status)) || (stored.status === 'sending' && String(stored.claimedAt) < leaseEnded);
  if (!claimable || stored.erasedAt) {
    throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: marshall(stored) });
  }
  claimed = { ...stored, status: 'sending', claimedAt: values[':claimedAt'], claimedFrom: stored.claimedFrom ?? stored.status };
  return { Attributes: claimed };
};

/** The stored invitation, the opt-out and suppression lists' items of its contact, and its campaign. */
const given = (stored: Record<string, unknown>, blocked: Record<string, unknown>[] = [], ofCampaign: Record<string, unknown> = campaign) => {
  ddb.on(UpdateCommand).callsFake(claimOf(stored));
  const migration = keys.migration(CONTACT_BLOCKS_MIGRATION);
  ddb.on(GetCommand).callsFake((input: { Key: { PK: string; SK: string } }) => ({
    Item:
      input.Key.PK === keys.invitation(String(stored.id)).PK
        ? stored
        : input.Key.PK === keys.campaign(String(ofCampaign.id)).PK
          ? ofCampaign
          : input.Key.PK === migration.PK && input.Key.SK === migration.SK && migrated
            ? { doneAt: '2026-11-01T00:00:00Z' }
            : undefined,
  }));
  ddb.on(BatchGetCommand).resolves({ Responses: { t: blocked } });
};

/** The settle's conditioned write: one UpdateItem, or the first item of a transaction when something follows on. */
const settleWrite = () =>
  [
    ...ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input),
    ...ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems?.[0]?.Update),
  ].find((update) => update?.ExpressionAttributeValues?.[':outcome'] !== undefined);

/** The terminal state the settle wrote, and the campaign counters the table's stream then moves (once). */
const settled = () => {
  const status = settleWrite()?.ExpressionAttributeValues?.[':outcome'] as string | undefined;
  const before = InvitationItem.parse(claimed);
  return { status, counts: status ? invitationCounts(before, InvitationItem.parse({ ...before, status, countsFromStream: true })) : {} };
};

beforeEach(() => {
  ddb.reset();
  ses.reset();
  claimed = undefined;
  migrated = true;
  forgetContactBlocksMigration();
  // Each test stores its own campaign under the one id; a container would never see it change.
  forgetCampaigns();
  process.env.TABLE_NAME = 't';
  process.env.TOKEN_SECRET = 'unit-test-secret-0123456789abcdef';
  process.env.PUBLIC_BASE_URL = 'https://nps.example.com';
  process.env.SENDER_EMAIL = 'surveys@example.com';
  process.env.INVITATIONS_QUEUE_URL = 'http://queue';
  ddb.on(UpdateCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
});

describe('processDue', () => {
  it('sends a queued invitation once and counts it sent', async () => {
    given(invitation());
    expect(await processDue(due, now)).toBe('sent');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(settled()).toEqual({ status: 'sent', counts: { sent: 1 } });
  });

  it('moves a held invitation out of the scheduled count when it is sent', async () => {
    given(invitation({ status: 'scheduled' }));
    expect(await processDue(due, now)).toBe('sent');
    expect(settled().counts).toEqual({ sent: 1, scheduled: -1 });
  });

  it('sends with two DynamoDB calls: the claim that reads the invitation (and its opt-out or suppression mark), and the settle', async () => {
    // GIVEN a campaign this container has already read once
    given(invitation());
    await processDue(due, now);
    ddb.resetHistory();
    // WHEN the next invitation of the campaign is sent
    expect(await processDue(due, now)).toBe('sent');
    // THEN nothing is read before the claim or between it and the settle, and the campaign is not read again
    expect(ddb.calls().map((call) => call.args[0].constructor.name)).toEqual(['UpdateCommand', 'UpdateCommand']);
  });

  it('reads the opt-out and suppression lists as well until every older opt-out is marked on its invitations', async () => {
    // GIVEN the one-off migration has not finished, and an opt-out written before marks (no mark on the invitation)
    migrated = false;
    given(invitation(), [keys.optOut('key1')]);
    // WHEN the invitation's message arrives
    expect(await processDue(due, now)).toBe('withdrawn');
    // THEN the list was read, and nothing went out
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('reads a campaign once for sends that start together', async () => {
    given(invitation());
    await Promise.all([processDue(due, now), processDue(due, now), processDue(due, now)]);
    // (and whether older opt-outs are all marked, once too)
    const read = ddb.commandCalls(GetCommand).map((call) => String(call.args[0].input.Key?.PK).split('#')[0]);
    expect(read.sort()).toEqual(['CAMPAIGN', 'MIGRATION']);
  });

  it('finds an erased invitation gone, and sends nothing', async () => {
    given(invitation({ erasedAt: '2026-11-23T11:00:00Z' }));
    expect(await processDue(due, now)).toBe('gone');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('claims again, and sends, an invitation whose earlier claim outlived its lease', async () => {
    // GIVEN an attempt that claimed it from held three minutes ago and died
    given(invitation({ status: 'sending', claimedAt: new Date(now.getTime() - 180_000).toISOString(), claimedFrom: 'scheduled' }));
    // WHEN the message comes back THEN it is sent, and leaves the scheduled count once
    expect(await processDue(due, now)).toBe('sent');
    expect(settled().counts).toEqual({ sent: 1, scheduled: -1 });
  });

  it('sends nothing for a message delivered again after the send', async () => {
    given(invitation({ status: 'sent' }));
    expect(await processDue(due, now)).toBe('done-before');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('leaves an invitation another attempt is sending right now to be retried later', async () => {
    given(invitation({ status: 'sending', claimedAt: new Date(now.getTime() - 5_000).toISOString() }));
    await expect(processDue(due, now)).rejects.toBeInstanceOf(EffectInFlight);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('withdraws, unsent, an invitation whose contact opted out since (the mark the opt-out left on it)', async () => {
    given(invitation({ blockedBy: 'opted_out' }));
    expect(await processDue(due, now)).toBe('withdrawn');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(settled().status).toBe('withdrawn');
    expect(settleWrite()?.ExpressionAttributeValues?.[':reason']).toBe('opted_out');
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('settles suppressed, unsent, an invitation whose address bounced or complained since', async () => {
    given(invitation({ blockedBy: 'suppressed' }));
    expect(await processDue(due, now)).toBe('suppressed');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(settleWrite()?.ExpressionAttributeValues?.[':reason']).toBe('suppressed');
  });

  it('sends no reminder to a contact who opted out after the invitation went out', async () => {
    given(invitation({ status: 'sent', sentAt: '2026-11-21T12:00:00Z', blockedBy: 'opted_out' }), [], { ...campaign, reminderAfterHours: 48 });
    expect(await processDue({ invitationId: 'inv1', kind: 'reminder', dueAt: due.dueAt }, now)).toBe('no-reminder');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('fails, with the reason, an invitation SES refuses for good', async () => {
    given(invitation());
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'rejected', $metadata: {} }));
    expect(await processDue(due, now)).toBe('failed');
    expect(settled().status).toBe('failed');
  });

  it('gives the claim back and retries later when SES keeps throttling', async () => {
    // GIVEN SES still throttling once the SES client's own retries are spent (they run below this
    // mock, which replaces `send`: test/unit/aws/ses.test.ts shows them)
    given(invitation());
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    // WHEN the sender gets the invitation THEN the throttling goes back to the queue for a later try
    await expect(processDue(due, now)).rejects.toBeInstanceOf(TooManyRequestsException);
    // AND the sender itself sent once, gave the claim back, and settled nothing
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const release = ddb.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    expect(release?.ExpressionAttributeValues?.[':back']).toBe('queued');
    expect(settleWrite()).toBeUndefined();
  });

  it('holds again a message that arrives before it is due', async () => {
    given(invitation());
    const early = { ...due, dueAt: '2026-11-23T12:05:00Z' };
    const { SQSClient, SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    expect(await processDue(early, now)).toBe('held');
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.DelaySeconds).toBe(300);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('holds again, at send time, a US text with no zone until 09:00 in every US zone', async () => {
    // GIVEN a text to San Francisco, due at 12:00Z: 07:00 in New York, 04:00 in California, 02:00 in Honolulu
    given(invitation({ channel: 'sms', contact: { phone: '+14155550123' } }), [], { ...campaign, channel: 'sms' });
    ddb.on(BatchWriteCommand).resolves({}); // the hold is longer than a queue can delay
    // WHEN the sender gets it THEN it is held until 19:00Z, 09:00 in Honolulu and 14:00 in New York
    expect(await processDue({ ...due, dueAt: now.toISOString() }, now)).toBe('held');
    const held = ddb.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    expect(held?.ExpressionAttributeValues?.[':dueAt']).toBe('2026-11-23T19:00:00.000Z');
  });

  it('fails, with the reason, a text whose zones share no moment of the window', async () => {
    given(invitation({ channel: 'sms', contact: { phone: '+14155550123' } }), [], {
      ...campaign,
      channel: 'sms',
      sendWindow: { start: '22:00', end: '02:00' },
    });
    expect(await processDue({ ...due, dueAt: now.toISOString() }, now)).toBe('failed');
    expect(settleWrite()?.ExpressionAttributeValues?.[':reason']).toBe('no_send_window');
  });

  it('holds the reminder in the same write that settles the send, so no crash after it can lose the reminder', async () => {
    // GIVEN a campaign with a reminder after 48 hours, and a table that refuses every batch write
    given(invitation(), [], { ...campaign, reminderAfterHours: 48 });
    ddb.on(BatchWriteCommand).rejects(new Error('DynamoDB unavailable for batches'));
    // WHEN the invitation is sent
    expect(await processDue(due, now)).toBe('sent');
    // THEN the settle itself holds the reminder for 48 hours later
    const items = ddb.commandCalls(TransactWriteCommand).at(-1)?.args[0].input.TransactItems ?? [];
    const held = items.flatMap((i) => (i.Put ? [i.Put.Item] : []));
    expect(held).toEqual([
      expect.objectContaining({ PK: expect.stringMatching(/^DUE#2026-11-25T12:00#/), messages: [{ invitationId: 'inv1', kind: 'reminder', dueAt: '2026-11-25T12:00:00.000Z' }] }),
    ]);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('opens the SMS conversation in the same write that settles the send', async () => {
    given(invitation({ channel: 'sms', contact: { phone: '+4915123456789', timezone: 'Europe/Berlin' } }), [], { ...campaign, channel: 'sms' });
    const { SNSClient, PublishCommand } = await import('@aws-sdk/client-sns');
    mockClient(SNSClient).on(PublishCommand).resolves({ MessageId: 's1' });
    expect(await processDue(due, now)).toBe('sent');
    const items = ddb.commandCalls(TransactWriteCommand).at(-1)?.args[0].input.TransactItems ?? [];
    expect(items.flatMap((i) => (i.Put ? [i.Put.Item] : []))).toEqual([
      expect.objectContaining({ PK: 'PHONE#key1', SK: 'CONVERSATION', invitationId: 'inv1', stage: 'awaiting_score' }),
    ]);
  });
});

// Counted where the settle commits; the EMF lines themselves are the metrics module's business.
vi.mock('#shared/aws/metrics', () => ({ count: vi.fn() }));

describe('processDue, counted', () => {
  const counted = async () => vi.mocked((await import('#shared/aws/metrics')).count).mock.calls;

  beforeEach(async () => vi.mocked((await import('#shared/aws/metrics')).count).mockClear());

  it('counts a sent invitation once, by its channel', async () => {
    given(invitation());
    await processDue(due, now);
    expect(await counted()).toEqual([['InvitationsSent', 'email']]);
  });

  it.each([
    ['withdrawn', 'InvitationsWithdrawn', 'opted_out'],
    ['suppressed', 'InvitationsSuppressed', 'suppressed'],
  ])('counts an invitation %s since it was invited as %s', async (_, metric, blockedBy) => {
    given(invitation({ blockedBy }));
    await processDue(due, now);
    expect(await counted()).toEqual([[metric, 'email']]);
  });

  it('counts a failed invitation once', async () => {
    given(invitation());
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'rejected', $metadata: {} }));
    await processDue(due, now);
    expect(await counted()).toEqual([['InvitationsFailed', 'email']]);
  });

  it('counts nothing for a message delivered again after the send, nor when the settle does not commit', async () => {
    given(invitation({ status: 'sent' }));
    await processDue(due, now);
    given(invitation());
    const claim = claimOf(invitation());
    ddb.on(UpdateCommand).callsFake(async (input: { ReturnValues?: string }) => {
      if (input.ReturnValues === 'ALL_NEW') return claim(input);
      throw new Error('DynamoDB unavailable');
    });
    await expect(processDue(due, now)).rejects.toThrow(/unavailable/);
    expect(await counted()).toEqual([]);
  });
});
