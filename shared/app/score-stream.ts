import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ResponseChange } from '#shared/core/aggregates';
import { ResponseItem } from '#shared/table/items';
import { category } from '#shared/core/nps';

/** A stream record that is not a response item we understand; it goes to the on-failure destination. */
export class PoisonRecord extends Error {
  constructor(reason: string) {
    super(`poison stream record: ${reason}`);
    this.name = 'PoisonRecord';
  }
}

export interface ReadRecord {
  readonly change: ResponseChange;
  /** The invitation whose follow-up case must be brought up to date. */
  readonly followupFor?: string;
}

const image = (raw: Record<string, unknown> | undefined): ResponseItem | undefined => {
  if (!raw) return undefined;
  const parsed = ResponseItem.safeParse(unmarshall(raw as Record<string, AttributeValue>));
  if (!parsed.success) throw new PoisonRecord(parsed.error.issues.map((i) => i.path.join('.')).join(','));
  return parsed.data;
};

/**
 * Reads one response record: which category the response left and which it entered. A REMOVE
 * (TTL expiry, erasure) changes no score: the anonymous score is history.
 */
export const readRecord = (record: DynamoDBRecord): ReadRecord => {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (!sequenceNumber || !/^\d+$/.test(sequenceNumber)) throw new PoisonRecord('no sequence number');
  const before = image(record.dynamodb?.OldImage);
  const after = record.eventName === 'REMOVE' ? before : image(record.dynamodb?.NewImage);
  const current = after ?? before;
  if (!current) throw new PoisonRecord('no image');
  const change: ResponseChange = {
    sequenceNumber,
    campaignId: current.campaignId,
    day: (before ?? current).day,
    segments: (before ?? current).segments,
    ...(before ? { before: category(before.score) } : {}),
    ...(after ? { after: category(after.score) } : {}),
  };
  // Any write touching a detractor (new, edited, commented, or no longer one) updates its case.
  const touchesCase = record.eventName !== 'REMOVE' && (change.after === 'detractor' || change.before === 'detractor');
  return { change, ...(touchesCase ? { followupFor: current.invitationId } : {}) };
};
