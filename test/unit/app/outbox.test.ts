import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { handOff, OUTBOX_GRACE_MS, outboxEntry, sweepOutbox } from '#shared/app/outbox';

/** The outbox's rules, with DynamoDB and SQS mocked. */
const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const now = new Date('2026-11-23T12:00:00Z');

const invitation = (id: string, status: string) => ({
  PK: `INV#${id}`,
  SK: 'INV',
  id,
  campaignId: 'c1',
  channel: 'email',
  contact: { email: `${id}@example.com` },
  segments: {},
  status,
  dueAt: '2026-11-23T11:58:00.000Z',
  createdAt: '2026-11-23T11:58:00.000Z',
});

const queuedIds = () =>
  sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => (JSON.parse(e.MessageBody ?? '{}') as { invitationId: string }).invitationId));

const deleted = () =>
  ddb.commandCalls(BatchWriteCommand).flatMap((c) => (c.args[0].input.RequestItems?.t ?? []).map((r) => r.DeleteRequest?.Key));

beforeEach(() => {
  ddb.reset();
  sqs.reset();
  process.env.TABLE_NAME = 't';
  process.env.INVITATIONS_QUEUE_URL = 'http://queue';
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  ddb.on(BatchWriteCommand).resolves({});
});

describe('handOff', () => {
  it('queues the invitations and clears their outbox entries', async () => {
    const entry = outboxEntry(['a'], now);
    expect(await handOff([{ invitationId: 'a', kind: 'send', dueAt: now.toISOString() }], [entry], now)).toBe(true);
    expect(queuedIds()).toEqual(['a']);
    expect(deleted()).toEqual([entry.key]);
  });

  it('keeps the outbox entries, without throwing, when SQS refuses the messages', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('unreachable'));
    const entry = outboxEntry(['a'], now);
    expect(await handOff([{ invitationId: 'a', kind: 'send', dueAt: now.toISOString() }], [entry], now)).toBe(false);
    expect(deleted()).toEqual([]);
  });
});

describe('sweepOutbox', () => {
  it('looks only at entries older than the longest a request can still be handing them off', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await sweepOutbox(now);
    const values = ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues;
    expect(values).toEqual({ ':pk': 'OUTBOX', ':before': new Date(now.getTime() - OUTBOX_GRACE_MS).toISOString() });
    expect(OUTBOX_GRACE_MS).toBeGreaterThan(29_000);
  });

  it('queues again only the invitations no sender has claimed, then deletes the entry', async () => {
    const entry = { PK: 'OUTBOX', SK: '2026-11-23T11:58:00.000Z#01', invitationIds: ['queued', 'sending', 'sent', 'held'] };
    ddb.on(QueryCommand).resolves({ Items: [entry] });
    ddb.on(BatchGetCommand).resolves({
      Responses: { t: [invitation('queued', 'queued'), invitation('sending', 'sending'), invitation('sent', 'sent'), invitation('held', 'scheduled')] },
    });
    expect(await sweepOutbox(now)).toEqual({ entries: 1, handedOff: 2 });
    expect(queuedIds().sort()).toEqual(['held', 'queued']);
    expect(deleted()).toEqual([{ PK: entry.PK, SK: entry.SK }]);
  });

  it('keeps an entry whose invitations it could not queue, for the next run', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ PK: 'OUTBOX', SK: '2026-11-23T11:58:00.000Z#01', invitationIds: ['queued'] }] });
    ddb.on(BatchGetCommand).resolves({ Responses: { t: [invitation('queued', 'queued')] } });
    sqs.on(SendMessageBatchCommand).rejects(new Error('unreachable'));
    await expect(sweepOutbox(now)).rejects.toThrow('unreachable');
    expect(deleted()).toEqual([]);
  });
});
