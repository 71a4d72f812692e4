import * as z from 'zod/mini';
import type { ResponseChange } from '#shared/core/aggregates';
import { countedAsScheduled, InvitationItem, isResponseTombstone, ResponseItem, type InvitationStatus } from '#shared/table/items';
import { dynamoImage } from '#shared/aws/events';
import { category } from '#shared/core/nps';
import { sameThemes } from '#shared/core/theme-set';

/** A stream record that is not a response or invitation item we understand; it goes to the on-failure destination. */
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

/** A response image, or erasure's tombstone (no answer: it counts nowhere, so it reads as none). */
const ResponseImage = dynamoImage(
  z.pipe(
    z.transform((item: unknown) => (typeof item === 'object' && item !== null && isResponseTombstone(item as Record<string, unknown>) ? null : item)),
    z.nullable(ResponseItem),
  ),
);

/**
 * What the counter reads of a stream record (Lambda's shape, NEW_AND_OLD_IMAGES): the event,
 * the sequence number, and the images, unmarshalled and checked as response items.
 */
const ResponseRecord = z.object({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    SequenceNumber: z.string().check(z.regex(/^\d+$/)),
    OldImage: z.optional(ResponseImage),
    NewImage: z.optional(ResponseImage),
  }),
});

/**
 * What the counter reads of an invitation image: only what moves a count, so that an invitation
 * of any age or state (erased, or written by an earlier version) reads.
 */
const CountedInvitation = z.pick(InvitationItem, { campaignId: true, status: true, claimedFrom: true, heldBefore: true, clickedAt: true, countsFromStream: true });
type CountedInvitation = z.infer<typeof CountedInvitation>;

/** What an invitation record is, as far as the counter reads it: which item, and its images. */
const InvitationRecord = z.object({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    SequenceNumber: z.string().check(z.regex(/^\d+$/)),
    OldImage: z.optional(dynamoImage(CountedInvitation)),
    NewImage: z.optional(dynamoImage(CountedInvitation)),
  }),
});

const TERMINAL = new Set<InvitationStatus>(['sent', 'failed', 'suppressed', 'withdrawn']);

/**
 * The campaign counters one change of an invitation moves: its arrival (recipients, and
 * scheduled when it is held), when it is inserted; its terminal state once, when it reaches one
 * (sent, failed, suppressed or withdrawn); the scheduled count when it enters or leaves it (held,
 * claimed from held, settled, or put back on hold at send time); its first click. A removal (TTL,
 * erasure) changes no count. Only a write by code that leaves its counting to the stream
 * (`countsFromStream`) counts here: an invitation imported before counted its arrival in the
 * import's transaction, and its later writes carry the marker.
 */
export const invitationCounts = (before: CountedInvitation | undefined, after: CountedInvitation): Record<string, number> => {
  const counts: Record<string, number> = {};
  // A write of the sender or survey from before counts moved here counted itself (during a deploy).
  if (after.countsFromStream !== true) return counts;
  if (!before) counts.recipients = 1;
  if (TERMINAL.has(after.status) && !(before && TERMINAL.has(before.status))) counts[after.status] = 1;
  const scheduled = Number(countedAsScheduled(after)) - Number(before ? countedAsScheduled(before) : false);
  if (scheduled !== 0) counts.scheduled = scheduled;
  if (after.clickedAt && !before?.clickedAt) counts.clicked = 1;
  return counts;
};

const readInvitationRecord = (record: unknown): ReadRecord => {
  const parsed = InvitationRecord.safeParse(record);
  if (!parsed.success) throw new PoisonRecord(parsed.error.issues.map((i) => i.path.join('.')).join(','));
  const { eventName, dynamodb } = parsed.data;
  const current = dynamodb.NewImage ?? dynamodb.OldImage;
  if (!current) throw new PoisonRecord('no image');
  // An insert is always a new invitation: imports put with attribute_not_exists(PK).
  const moved =
    eventName === 'INSERT' && dynamodb.NewImage
      ? invitationCounts(undefined, dynamodb.NewImage)
      : eventName === 'MODIFY' && dynamodb.OldImage && dynamodb.NewImage
        ? invitationCounts(dynamodb.OldImage, dynamodb.NewImage)
        : {};
  return { change: { sequenceNumber: dynamodb.SequenceNumber, campaignId: current.campaignId, day: '', segments: {}, counts: moved } };
};

const isInvitationRecord = (record: unknown): boolean => {
  const keys = (record as { dynamodb?: { Keys?: { SK?: { S?: unknown } } } } | undefined)?.dynamodb?.Keys;
  return keys?.SK?.S === 'INV';
};

/**
 * Reads one record of the counter's stream: an invitation's (see invitationCounts), or a response's.
 */
export const readRecord = (record: unknown): ReadRecord => (isInvitationRecord(record) ? readInvitationRecord(record) : readResponseRecord(record));

/**
 * Reads one response record: which category the response left and which it entered. A REMOVE
 * (TTL expiry, erasure) changes no score: the anonymous score is history. Erasure's tombstone
 * (an invitation never answered) moves nothing.
 */
const readResponseRecord = (record: unknown): ReadRecord => {
  const parsed = ResponseRecord.safeParse(record);
  // Paths only: a message could quote the comment the image carries.
  if (!parsed.success) throw new PoisonRecord(parsed.error.issues.map((i) => i.path.join('.')).join(','));
  const { eventName, dynamodb } = parsed.data;
  const sequenceNumber = dynamodb.SequenceNumber;
  if (dynamodb.OldImage === undefined && dynamodb.NewImage === undefined) throw new PoisonRecord('no image');
  // A tombstone image (null) is no response.
  const before = dynamodb.OldImage ?? undefined;
  const after = eventName === 'REMOVE' ? before : (dynamodb.NewImage ?? undefined);
  const current = after ?? before;
  if (!current) return { change: { sequenceNumber, campaignId: '', day: '', segments: {} } };
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
