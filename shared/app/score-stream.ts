import * as z from 'zod';
import type { ResponseChange } from '#shared/core/aggregates';
import { ResponseItem } from '#shared/table/items';
import { dynamoImage } from '#shared/aws/events';
import { category } from '#shared/core/nps';
import { sameThemes } from '#shared/core/theme-set';

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

/**
 * What the counter reads of a stream record (Lambda's shape, NEW_AND_OLD_IMAGES): the event,
 * the sequence number, and the images, unmarshalled and checked as response items.
 */
const ResponseRecord = z.object({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    SequenceNumber: z.string().regex(/^\d+$/),
    OldImage: dynamoImage(ResponseItem).optional(),
    NewImage: dynamoImage(ResponseItem).optional(),
  }),
});

/**
 * Reads one response record: which category the response left and which it entered. A REMOVE
 * (TTL expiry, erasure) changes no score: the anonymous score is history.
 */
export const readRecord = (record: unknown): ReadRecord => {
  const parsed = ResponseRecord.safeParse(record);
  // Paths only: a message could quote the comment the image carries.
  if (!parsed.success) throw new PoisonRecord(parsed.error.issues.map((i) => i.path.join('.')).join(','));
  const { eventName, dynamodb } = parsed.data;
  const sequenceNumber = dynamodb.SequenceNumber;
  const before = dynamodb.OldImage;
  const after = eventName === 'REMOVE' ? before : dynamodb.NewImage;
  const current = after ?? before;
  if (!current) throw new PoisonRecord('no image');
  const change: ResponseChange = {
    sequenceNumber,
    campaignId: current.campaignId,
    day: (before ?? current).day,
    segments: (before ?? current).segments,
    ...(before ? { before: category(before.score), themesBefore: before.themes ?? [] } : {}),
    ...(after ? { after: category(after.score), themesAfter: after.themes ?? [] } : {}),
  };
  // Any change a detractor's case shows (new, edited, commented, re-tagged, or no longer one)
  // updates its case; the follow-up consumer copies what the response holds then, so a replay is harmless.
  const shown =
    !before || !after || before.score !== after.score || before.comment !== after.comment || !sameThemes(before.themes ?? [], after.themes ?? []);
  const touchesCase = eventName !== 'REMOVE' && shown && (change.after === 'detractor' || change.before === 'detractor');
  return { change, ...(touchesCase ? { followupFor: current.invitationId } : {}) };
};
