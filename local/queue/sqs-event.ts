import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import * as z from 'zod';
import type { Invocation, LocalFunction } from '../lambda/local-function.ts';
import type { DeliverBatch } from './queue-consumer.ts';

/** A queue function's delivery: the batch becomes one SQSEvent and one invocation. */
export function sqsFunctionDelivery(fn: Pick<LocalFunction, 'invoke'>, queueArn: string, region: string): DeliverBatch {
  return async (messages) => {
    const event: SQSEvent = { Records: messages.map((message) => toSqsRecord(message, queueArn, region)) };
    return failedMessageIds(await fn.invoke(event), event.Records.map((record) => record.messageId));
  };
}

/** A received message as Lambda puts it in an SQSEvent record. */
export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const system = message.Attributes ?? {};
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
    SentTimestamp: system.SentTimestamp ?? String(Date.now()),
    SenderId: system.SenderId ?? '000000000000',
    ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    ...(system.AWSTraceHeader !== undefined && { AWSTraceHeader: system.AWSTraceHeader }),
    ...(system.SequenceNumber !== undefined && { SequenceNumber: system.SequenceNumber }),
    ...(system.MessageGroupId !== undefined && { MessageGroupId: system.MessageGroupId }),
    ...(system.MessageDeduplicationId !== undefined && { MessageDeduplicationId: system.MessageDeduplicationId }),
  };
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: toLambdaMessageAttributes(message.MessageAttributes ?? {}),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes !== undefined && { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

const toLambdaMessageAttributes = (attributes: Record<string, MessageAttributeValue>): SQSMessageAttributes =>
  Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
        ...(value.BinaryValue !== undefined && { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
        stringListValues: [],
        binaryListValues: [],
        dataType: value.DataType ?? 'String',
      },
    ]),
  );

const batchResponse = z.looseObject({
  batchItemFailures: z.array(z.looseObject({ itemIdentifier: z.unknown() })).nullish(),
});

/**
 * Reads a queue handler's result as Lambda does with ReportBatchItemFailures: a failed
 * invocation fails every message; listed message ids fail; an identifier that is empty,
 * missing or not in the batch makes Lambda treat the whole batch as failed.
 */
export function failedMessageIds(invocation: Invocation, messageIds: readonly string[]): ReadonlySet<string> {
  const everyMessage = new Set(messageIds);
  if (!invocation.ok) return everyMessage;
  const parsed = batchResponse.safeParse(invocation.result);
  const failures = parsed.success ? (parsed.data.batchItemFailures ?? []) : [];
  const ids = failures.map(({ itemIdentifier }) => itemIdentifier);
  if (ids.every((id): id is string => typeof id === 'string' && everyMessage.has(id))) return new Set(ids);
  return everyMessage;
}
