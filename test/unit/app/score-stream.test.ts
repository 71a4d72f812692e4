import { describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { PoisonRecord, readRecord } from '#shared/app/score-stream';
import { responseItem, streamRecord } from '#test/fixtures/stream-record';
import { keys } from '#shared/table/items';

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
