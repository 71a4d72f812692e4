import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { minuteOf, mustHold, schedule } from '#shared/app/holding';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const now = new Date('2026-11-23T12:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

beforeEach(() => {
  ddb.reset();
  sqs.reset();
  process.env.TABLE_NAME = 'npsloop-test';
  process.env.INVITATIONS_QUEUE_URL = 'http://queue';
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  ddb.on(BatchWriteCommand).resolves({});
});

describe('schedule', () => {
  it('delays what is due within 15 minutes on the queue, to the second', async () => {
    await schedule([{ invitationId: 'a', kind: 'send', dueAt: at(5) }], now);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.DelaySeconds).toBe(300);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('holds what is due later as one item in its minute bucket, not as a message', async () => {
    ddb.on(GetCommand).resolves({});
    await schedule([{ invitationId: 'a', kind: 'send', dueAt: at(60) }], now);
    const put = ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.['npsloop-test']?.[0]?.PutRequest?.Item;
    expect(put?.PK).toMatch(/^DUE#2026-11-23T13:00#\d+$/);
    expect(put?.messages).toEqual([{ invitationId: 'a', kind: 'send', dueAt: at(60) }]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('queues instead of holding behind a releaser that already passed that minute', async () => {
    ddb.on(GetCommand).resolves({ Item: { minute: minuteOf(new Date(at(90))) } });
    await schedule([{ invitationId: 'a', kind: 'send', dueAt: at(60) }], now);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.DelaySeconds).toBe(900);
  });

  it('holds a thousand invitations due the same minute as two items', async () => {
    ddb.on(GetCommand).resolves({});
    const messages = Array.from({ length: 1000 }, (_, i) => ({ invitationId: `i${i}`, kind: 'send' as const, dueAt: at(120) }));
    await schedule(messages, now);
    const puts = ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems?.['npsloop-test'] ?? []);
    expect(puts).toHaveLength(2);
  });

  it('holds only beyond what SQS can delay', () => {
    expect(mustHold(at(15), now)).toBe(false);
    expect(mustHold(at(16), now)).toBe(true);
  });
});
