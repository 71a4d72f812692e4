import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { minuteOf, mustHold, releaseDue, runClock, schedule } from '#shared/app/holding';

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

describe('the hand-off clock', () => {
  afterEach(() => vi.useRealTimers());

  it('moves on with the real time elapsed since the run began', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const clock = runClock(now);
    vi.advanceTimersByTime(7_000);
    expect(clock().toISOString()).toBe('2026-11-23T12:00:07.000Z');
  });

  it("counts a released message's delay from when it is queued, not from the start of a slow release", async () => {
    // GIVEN a bucket due 5 minutes after the run starts, and a release that takes 60 s to read it
    vi.useFakeTimers({ toFake: ['performance'] });
    ddb.on(GetCommand).resolves({ Item: { minute: minuteOf(new Date(now.getTime() - 60_000)) } });
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => {
      if (input.ExpressionAttributeValues[':pk'] !== `DUE#${minuteOf(new Date(at(5)))}#0`) return { Items: [] };
      vi.advanceTimersByTime(60_000);
      return { Items: [{ PK: 'DUE#x', SK: 'g', messages: [{ invitationId: 'a', kind: 'send', dueAt: at(5) }] }] };
    });
    // WHEN it releases
    await releaseDue(now);
    // THEN the message is delayed 4 minutes, so it still arrives when it is due
    const delays = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []).map((e) => e.DelaySeconds);
    expect(delays).toEqual([240]);
  });
});
