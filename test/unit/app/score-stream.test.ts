import { describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import { invitationCounts, PoisonRecord, readRecord } from '#shared/app/score-stream';
import { responseItem, streamRecord } from '#test/fixtures/stream-record';
import { keys, type InvitationItem } from '#shared/table/items';
import { aggregateDeltas, countDeltas } from '#shared/core/aggregates';

describe('readRecord', () => {
  it('reads a first answer as an entry into its category, routed to follow-up when a detractor', () => {
    const read = readRecord(streamRecord('100', undefined, responseItem({ score: 3 })));
    expect(read.change).toMatchObject({ sequenceNumber: '100', campaignId: 'c1', after: 'detractor' });
    expect(read.change.before).toBeUndefined();
    expect(read.followupFor).toBe('inv1');
  });

  it('reads an edit as a move from the old category to the new', () => {
    const read = readRecord(streamRecord('101', responseItem({ score: 3 }), responseItem({ score: 9, version: 2 })));
    expect(read.change).toMatchObject({ before: 'detractor', after: 'promoter' });
  });

  it('does not send a promoter to follow-up', () => {
    expect(readRecord(streamRecord('102', undefined, responseItem({ score: 10 }))).followupFor).toBeUndefined();
  });

  it('keeps history when a response is removed (TTL or erasure)', () => {
    const read = readRecord(streamRecord('103', responseItem({ score: 3 }), undefined));
    expect(read.change.before).toBe(read.change.after);
    expect(read.followupFor).toBeUndefined();
  });

  it('sends a later comment on a detractor to its case', () => {
    const read = readRecord(streamRecord('104', responseItem({ score: 2 }), responseItem({ score: 2, comment: 'slow', version: 2 })));
    expect(read.followupFor).toBe('inv1');
  });

  it("sends a re-tag of a detractor's comment to its case, so the case's themes follow", () => {
    const before = responseItem({ score: 2, comment: 'slow courier', themes: [], themesVersion: 0 });
    const read = readRecord(streamRecord('108', before, { ...before, themes: ['delivery'], themesVersion: 1 }));
    expect(read.followupFor).toBe('inv1');
  });

  it("does not send a re-tag that changes nothing the case shows, nor a promoter's re-tag", () => {
    const detractor = responseItem({ score: 2, comment: 'slow courier', themes: ['delivery'], themesVersion: 0 });
    expect(readRecord(streamRecord('109', detractor, { ...detractor, themesVersion: 1 })).followupFor).toBeUndefined();
    const promoter = responseItem({ score: 10, comment: 'fast courier', themes: [] });
    expect(readRecord(streamRecord('110', promoter, { ...promoter, themes: ['delivery'], themesVersion: 1 })).followupFor).toBeUndefined();
  });

  it("moves nothing for erasure's tombstone of an invitation never answered, made or marked again", () => {
    // GIVEN the tombstone erasure leaves at the response's key (no score, no campaign)
    const tombstone = { ...keys.response('inv1'), erasedAt: '2026-11-23T10:00:00.000Z' };
    const made = streamRecord('111', undefined, responseItem());
    made.dynamodb = { ...made.dynamodb, NewImage: marshall(tombstone) as never };
    const again = streamRecord('112', responseItem(), responseItem(), 'MODIFY');
    again.dynamodb = { ...again.dynamodb, OldImage: marshall(tombstone) as never, NewImage: marshall({ ...tombstone, erasedAt: '2026-11-24T10:00:00.000Z' }) as never };
    // WHEN the counter reads them THEN neither is poison, counts anything or reaches a case
    for (const record of [made, again]) {
      const read = readRecord(record);
      expect([aggregateDeltas([read.change]), countDeltas([read.change])]).toEqual([[], []]);
      expect(read.followupFor).toBeUndefined();
    }
  });

  it('refuses an item of unknown shape as poison', () => {
    const record = streamRecord('105', undefined, responseItem());
    record.dynamodb = { ...record.dynamodb, NewImage: { PK: { S: keys.response('x').PK }, SK: { S: keys.response('x').SK }, score: { S: 'ten' } } };
    expect(() => readRecord(record)).toThrow(PoisonRecord);
  });

  it.each([
    ['no sequence number', (r: DynamoDBRecord) => ({ ...r, dynamodb: { ...r.dynamodb, SequenceNumber: undefined } })],
    ['a sequence number that is not one', (r: DynamoDBRecord) => ({ ...r, dynamodb: { ...r.dynamodb, SequenceNumber: 'abc' } })],
    ['an event DynamoDB never sends', (r: DynamoDBRecord) => ({ ...r, eventName: 'UPSERT' })],
    ['an image that is not marshalled', (r: DynamoDBRecord) => ({ ...r, dynamodb: { ...r.dynamodb, NewImage: { score: 3 } } })],
    ['no image at all', (r: DynamoDBRecord) => ({ ...r, dynamodb: { SequenceNumber: '106' } })],
  ])('refuses a record with %s as poison', (_, spoil) => {
    const record = spoil(streamRecord('106', undefined, responseItem()));
    expect(() => readRecord(record)).toThrow(PoisonRecord);
  });

  it('names only the fields of a poison record, never their values', () => {
    const record = streamRecord('107', undefined, responseItem({ comment: 'call me on +15555550100' }));
    record.dynamodb = { ...record.dynamodb, NewImage: { ...record.dynamodb?.NewImage, score: { S: 'ten' } } };
    expect(() => readRecord(record)).toThrow(/^poison stream record: dynamodb\.NewImage\.score$/);
  });
});

describe('invitation records: the campaign counters they move', () => {
  const invitation = (overrides: Partial<InvitationItem> = {}): InvitationItem => ({
    id: 'inv1',
    campaignId: 'c1',
    channel: 'email',
    contact: { email: 'ann@example.com' },
    segments: {},
    status: 'queued',
    createdAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  });
  /** The image a write of this version leaves: it leaves the counting to the stream. */
  const written = (item: InvitationItem): InvitationItem => ({ ...item, countsFromStream: true });
  const sending = (claimedFrom: InvitationItem['status']) => invitation({ status: 'sending', claimedAt: '2026-11-23T10:01:00.000Z', claimedFrom });
  /** A MODIFY of the invitation item, as the table's stream carries it. */
  const modify = (sequenceNumber: string, before: InvitationItem, after: InvitationItem) => {
    const record = streamRecord(sequenceNumber, responseItem(), responseItem(), 'MODIFY');
    record.dynamodb = {
      ...record.dynamodb,
      Keys: { PK: { S: keys.invitation('inv1').PK }, SK: { S: keys.invitation('inv1').SK } },
      OldImage: marshall({ ...keys.invitation('inv1'), ...before }) as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'],
      NewImage: marshall({ ...keys.invitation('inv1'), ...after }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
    };
    return record;
  };

  it('counts a send once, when the settle moves it out of sending', () => {
    expect(readRecord(modify('200', sending('queued'), written({ ...sending('queued'), status: 'sent' }))).change).toMatchObject({
      sequenceNumber: '200',
      campaignId: 'c1',
      counts: { sent: 1 },
    });
  });

  it('moves a held invitation out of the scheduled count when it settles, whatever the outcome', () => {
    for (const outcome of ['sent', 'failed', 'suppressed', 'withdrawn'] as const) {
      expect(invitationCounts(sending('scheduled'), written({ ...sending('scheduled'), status: outcome }))).toEqual({ [outcome]: 1, scheduled: -1 });
    }
    // A claim made before claimedFrom was kept recorded a held invitation as heldBefore.
    expect(invitationCounts({ ...sending('queued'), claimedFrom: undefined, heldBefore: true }, written(invitation({ status: 'sent' })))).toEqual({ sent: 1, scheduled: -1 });
  });

  it('counts nothing for a claim, a claim given back, or a second write of a settled invitation', () => {
    expect(invitationCounts(invitation({ status: 'scheduled' }), written(sending('scheduled')))).toEqual({});
    expect(invitationCounts(invitation(), written(sending('queued')))).toEqual({});
    expect(invitationCounts(sending('queued'), written(invitation({ status: 'queued' })))).toEqual({});
    expect(invitationCounts(sending('scheduled'), written({ ...sending('scheduled'), status: 'scheduled' }))).toEqual({});
    expect(invitationCounts(invitation({ status: 'sent' }), written(invitation({ status: 'sent', erasedAt: '2026-11-24T00:00:00.000Z' })))).toEqual({});
  });

  it('puts an invitation held again at send time back into the scheduled count, once', () => {
    expect(invitationCounts(sending('queued'), written(invitation({ status: 'scheduled' })))).toEqual({ scheduled: 1 });
  });

  it('counts nothing that a write of the previous version counted itself in its transaction', () => {
    expect(invitationCounts(sending('scheduled'), { ...sending('scheduled'), status: 'sent' })).toEqual({});
    expect(invitationCounts(invitation({ status: 'sent' }), invitation({ status: 'sent', clickedAt: 'x' }))).toEqual({});
  });

  it('counts the first click only', () => {
    const sent = invitation({ status: 'sent' });
    expect(invitationCounts(sent, written({ ...sent, clickedAt: '2026-11-23T11:00:00.000Z' }))).toEqual({ clicked: 1 });
    expect(invitationCounts({ ...sent, clickedAt: 'x' }, written({ ...sent, clickedAt: 'x', remindedAt: 'y' }))).toEqual({});
  });
});

describe('invitation records of any age', () => {
  it('reads an erased invitation, or one without fields the counter does not use, without calling it poison', () => {
    const record = streamRecord('300', responseItem(), responseItem(), 'MODIFY');
    const before = { ...keys.invitation('inv1'), campaignId: 'c1', status: 'sending', claimedAt: 'x', claimedFrom: 'queued', contact: {} };
    record.dynamodb = {
      ...record.dynamodb,
      Keys: { PK: { S: keys.invitation('inv1').PK }, SK: { S: keys.invitation('inv1').SK } },
      OldImage: marshall(before) as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'],
      NewImage: marshall({ ...before, status: 'failed', countsFromStream: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
    };
    expect(readRecord(record).change).toMatchObject({ campaignId: 'c1', counts: { failed: 1 } });
  });
});
