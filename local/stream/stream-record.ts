import type { AttributeValue as SdkAttributeValue, _Record as SdkStreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** The event Lambda sends a DynamoDB stream consumer that has a tumbling window. */
export interface DynamoDBStreamWindowEvent extends DynamoDBStreamEvent {
  readonly shardId: string;
  readonly eventSourceARN: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly state: Record<string, string>;
  readonly isFinalInvokeForWindow: boolean;
  readonly isWindowTerminatedEarly: boolean;
}

/** A stream record in Lambda's shape, whose sequence number is always present. */
export type StreamRecord = DynamoDBRecord & { readonly dynamodb: { readonly SequenceNumber: string } };

/**
 * GetRecords output as Lambda delivers it: binary attributes as base64, the creation time as
 * epoch seconds, lower-case userIdentity, and the real region and stream ARN (DynamoDB Local
 * reports the region as "ddblocal").
 */
export function toLambdaStreamRecord(record: SdkStreamRecord, streamArn: string, region: string): StreamRecord | undefined {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (record.dynamodb === undefined || sequenceNumber === undefined) return undefined;
  const { Keys, NewImage, OldImage, SizeBytes, StreamViewType, ApproximateCreationDateTime } = record.dynamodb;
  const identity = record.userIdentity;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(ApproximateCreationDateTime && { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }),
      ...(Keys && { Keys: toLambdaImage(Keys) }),
      ...(NewImage && { NewImage: toLambdaImage(NewImage) }),
      ...(OldImage && { OldImage: toLambdaImage(OldImage) }),
      SequenceNumber: sequenceNumber,
      ...(SizeBytes !== undefined && { SizeBytes }),
      ...(StreamViewType && { StreamViewType }),
    },
    ...(identity && { userIdentity: { type: identity.Type, principalId: identity.PrincipalId } }),
  };
}

const toLambdaImage = (image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaAttributeValue(value)]));

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function toLambdaAttributeValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  // DynamoDB Local writes an empty map to the stream as `{}`; DynamoDB (and Lambda) as `{ "M": {} }`.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(', ')}`);
}
