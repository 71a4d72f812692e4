import { describe, expect, it } from 'vitest';
import type { SNSEvent } from 'aws-lambda';
import type { Invocation } from '#local/lambda/local-function';
import { snsFunctionDelivery, toSnsEventRecord, parseSnsEnvelope, structuredMessage } from '#local/topic/sns-envelope';

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
  it("hands each protocol its part of a message published with MessageStructure json, as SNS does", () => {
    const structured = JSON.stringify({ default: '{"a":1}', email: 'Dear manager', sms: 'Short' });
    expect(structuredMessage(structured, 'email')).toBe('Dear manager');
    expect(structuredMessage(structured, 'sms')).toBe('Short');
    expect(structuredMessage(structured, 'sqs')).toBe('{"a":1}');
    expect(toSnsEventRecord(parseSnsEnvelope(envelope(structured)), 'arn:sub').Sns.Message).toBe('{"a":1}');
    // Anything else is an ordinary message, delivered as published.
    expect(structuredMessage('{"default":"x","comment":"y"}', 'sqs')).toBeUndefined();
    expect(structuredMessage('{"default":1}', 'sqs')).toBeUndefined();
    expect(structuredMessage('not json', 'sqs')).toBeUndefined();
    expect(toSnsEventRecord(parseSnsEnvelope(envelope('{"email":"x"}')), 'arn:sub').Sns.Message).toBe('{"email":"x"}');
  });

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

  const deliveryTo = (invoke: (event: SNSEvent) => Promise<Invocation>, retryAttempts = 2) => {
    const parked: unknown[] = [];
    const events: SNSEvent[] = [];
    const deliver = snsFunctionDelivery(
      {
        name: 'handleSesEvent',
        invoke: async (event) => {
          events.push(event as SNSEvent);
          return invoke(event as SNSEvent);
        },
      },
      {
        subscriptionArn: 'arn:sub',
        region: 'us-east-1',
        retryAttempts,
        sendToFailureDestination: async (message) => void parked.push(JSON.parse(message)),
      },
    );
    return { deliver, events, parked };
  };
  const failOn = (body: string) => async (event: SNSEvent): Promise<Invocation> =>
    event.Records[0]?.Sns.Message === body ? { ok: false, error: new TypeError('bad message') } : { ok: true, result: undefined };
  const received = (id: string, body: string, receiveCount = 1) => ({
    MessageId: id,
    Body: envelope(body),
    Attributes: { ApproximateReceiveCount: String(receiveCount) },
  });

  it('delivers each message as its own event and fails only the ones that failed', async () => {
    // GIVEN a subscriber that fails on "bad"
    const { deliver, events, parked } = deliveryTo(failOn('bad'));
    // WHEN
    const failed = await deliver([received('q1', 'good'), received('q2', 'bad'), { MessageId: 'q3', Body: 'not an envelope' }]);
    // THEN
    expect(events.map((event) => event.Records.length)).toEqual([1, 1]);
    expect(failed).toEqual(new Set(['q2', 'q3']));
    expect(parked).toEqual([]);
  });

  it('retries a failed message until its last attempt, then parks Lambda\'s on-failure record', async () => {
    // GIVEN two retries: attempts 1 and 2 are retried, attempt 3 is the last
    const { deliver, parked } = deliveryTo(failOn('bad'), 2);
    // WHEN
    const secondAttempt = await deliver([received('q1', 'bad', 2)]);
    const lastAttempt = await deliver([received('q1', 'bad', 3)]);
    // THEN
    expect(secondAttempt).toEqual(new Set(['q1']));
    expect(lastAttempt).toEqual(new Set());
    expect(parked).toEqual([
      {
        version: '1.0',
        timestamp: expect.any(String),
        requestContext: {
          requestId: expect.any(String),
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:handleSesEvent:$LATEST',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: { Records: [expect.objectContaining({ EventSubscriptionArn: 'arn:sub', Sns: expect.objectContaining({ Message: 'bad' }) })] },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'TypeError', errorMessage: 'bad message' },
      },
    ]);
  });

  it('keeps a message whose on-failure record could not be parked, so its last attempt is repeated', async () => {
    // GIVEN a failure destination that is down
    const deliver = snsFunctionDelivery(
      { name: 'fn', invoke: async () => ({ ok: false, error: new Error('boom') }) },
      {
        subscriptionArn: 'arn:sub',
        region: 'us-east-1',
        retryAttempts: 0,
        sendToFailureDestination: async () => {
          throw new Error('queue gone');
        },
      },
    );
    // WHEN / THEN
    expect(await deliver([received('q1', 'x')])).toEqual(new Set(['q1']));
  });
});
