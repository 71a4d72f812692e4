import { describe, expect, it } from 'vitest';
import type { SNSEvent } from 'aws-lambda';
import { snsFunctionDelivery, toSnsEventRecord, parseSnsEnvelope } from '#local/topic/sns-envelope';

const envelope = (message: string) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'sns-1',
    TopicArn: 'arn:aws:sns:us-east-1:000000000000:alerts',
    Message: message,
    Timestamp: '2026-01-01T00:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://example/cert.pem',
    UnsubscribeURL: '',
    MessageAttributes: { score: { Type: 'Number', Value: '3' } },
  });

describe('SNS envelope (SNS → SQS subscription)', () => {
  it('becomes the SNS event record Lambda delivers', () => {
    const record = toSnsEventRecord(parseSnsEnvelope(envelope('{"a":1}')), 'arn:sub');
    expect(record).toEqual({
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:sub',
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        MessageId: 'sns-1',
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:alerts',
        Message: '{"a":1}',
        Timestamp: '2026-01-01T00:00:00.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://example/cert.pem',
        UnsubscribeUrl: '',
        MessageAttributes: { score: { Type: 'Number', Value: '3' } },
      },
    });
  });

  it('delivers each message as its own event and fails only the ones that failed', async () => {
    // GIVEN a subscriber that fails on "bad"
    const events: SNSEvent[] = [];
    const deliver = snsFunctionDelivery(
      {
        invoke: async (event) => {
          const snsEvent = event as SNSEvent;
          events.push(snsEvent);
          return snsEvent.Records[0]?.Sns.Message === 'bad' ? { ok: false, error: new Error('bad') } : { ok: true, result: undefined };
        },
      },
      'arn:sub',
    );
    // WHEN
    const failed = await deliver([
      { MessageId: 'q1', Body: envelope('good') },
      { MessageId: 'q2', Body: envelope('bad') },
      { MessageId: 'q3', Body: 'not an envelope' },
    ]);
    // THEN
    expect(events.map((event) => event.Records.length)).toEqual([1, 1]);
    expect(failed).toEqual(new Set(['q2', 'q3']));
  });
});
