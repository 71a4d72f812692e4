import { describe, expect, it } from 'vitest';
import { failedMessageIds, toSqsRecord } from '#local/queue/sqs-event';

const ids = ['m1', 'm2', 'm3'];
const ok = (result: unknown) => ({ ok: true, result }) as const;

describe('reading a queue handler result (SQS ReportBatchItemFailures)', () => {
  it('fails nothing when the handler reports no failures', () => {
    expect(failedMessageIds(ok(undefined), ids)).toEqual(new Set());
    expect(failedMessageIds(ok({ batchItemFailures: [] }), ids)).toEqual(new Set());
  });

  it('fails exactly the reported messages', () => {
    expect(failedMessageIds(ok({ batchItemFailures: [{ itemIdentifier: 'm2' }] }), ids)).toEqual(new Set(['m2']));
  });

  it.each([
    ['an empty identifier', ''],
    ['an unknown identifier', 'other'],
    ['a non-string identifier', 7],
  ])('fails every message for %s', (_, itemIdentifier) => {
    expect(failedMessageIds(ok({ batchItemFailures: [{ itemIdentifier }] }), ids)).toEqual(new Set(ids));
  });

  it('fails every message when the invocation failed', () => {
    expect(failedMessageIds({ ok: false, error: new Error('boom') }, ids)).toEqual(new Set(ids));
  });
});

describe('SQS event record', () => {
  it('has the shape Lambda delivers', () => {
    // WHEN
    const record = toSqsRecord(
      {
        MessageId: 'm1',
        ReceiptHandle: 'rh',
        Body: '{"a":1}',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000', SenderId: 'AID', ApproximateFirstReceiveTimestamp: '1700000000001' },
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'invite' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
        },
      },
      'arn:aws:sqs:us-east-1:000000000000:q',
      'us-east-1',
    );
    // THEN
    expect(record).toEqual({
      messageId: 'm1',
      receiptHandle: 'rh',
      body: '{"a":1}',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000', SenderId: 'AID', ApproximateFirstReceiveTimestamp: '1700000000001' },
      messageAttributes: {
        kind: { stringValue: 'invite', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: 'AQI=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfBody: 'md5',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    });
  });
});
