import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages } from '#shared/aws/queue';

/** SQS answers a batch with per-entry failures, which the SDK does not retry: sendMessages does. */
const sqs = mockClient(SQSClient);
const failed = (...ids: string[]) => ({ Successful: [], Failed: ids.map((Id) => ({ Id, SenderFault: false, Code: 'InternalError' })) });

beforeEach(() => {
  sqs.reset();
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => vi.restoreAllMocks());

describe('sendMessages', () => {
  it('resends only the entries SQS lists as failed', async () => {
    sqs.on(SendMessageBatchCommand).resolvesOnce(failed('1')).resolves({ Successful: [], Failed: [] });
    await sendMessages('http://queue', [{ body: 'a' }, { body: 'b' }]);
    const sent = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.map((e) => e.MessageBody));
    expect(sent).toEqual([['"a"', '"b"'], ['"b"']]);
  });

  it('throws after four tries, so the caller\'s own retry covers what is left', async () => {
    sqs.on(SendMessageBatchCommand).resolves(failed('0'));
    await expect(sendMessages('http://queue', [{ body: 'a' }])).rejects.toThrow('could not queue 1 messages');
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(4);
  });
});
