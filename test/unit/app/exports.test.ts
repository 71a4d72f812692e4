import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { exportFeedCsv, READ_BUDGET, readFeed } from '#shared/app/exports';

const ddb = mockClient(DynamoDBDocumentClient);
const CAMPAIGN = '01KB0000000000000000000000';
const NOW = new Date('2026-12-15T12:00:00.000Z');

const response = (invitationId: string, segments: Record<string, string>, at = '2026-12-01T10:00:00.000Z') => ({
  PK: `INV#${invitationId}`,
  SK: 'RESPONSE',
  GSI4PK: `RESPONSES#${at.slice(0, 7)}`,
  GSI4SK: `${at}#${invitationId}`,
  GSI1PK: `CAMPAIGN#${CAMPAIGN}#RESP`,
  GSI1SK: `AT#${at}#${invitationId}`,
  invitationId,
  campaignId: CAMPAIGN,
  score: 3,
  segments,
  day: at.slice(0, 10),
  firstAnsweredAt: at,
  answeredAt: at,
  version: 1,
});

const campaignRow = { PK: `CAMPAIGN#${CAMPAIGN}`, SK: 'CAMPAIGN', id: CAMPAIGN, name: 'Winter', brand: 'Acme', channel: 'email', locale: 'en', segments: [], throttleDays: 90, createdAt: '2026-10-03T00:00:00.000Z' };

/** The feed's queries: the oldest-campaign look-up answers with a campaign made in October 2026. */
const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input).filter((i) => i.IndexName !== 'GSI1' || i.ExpressionAttributeValues?.[':pk'] !== 'CAMPAIGNS');

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 'npsloop-test';
  ddb.on(BatchGetCommand).resolves({ Responses: { 'npsloop-test': [campaignRow] } });
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'CAMPAIGNS' } }).resolves({ Items: [campaignRow] });
});

const view = { withContacts: true };

describe('the feed across campaigns', () => {
  it('reads this month first, newest first, then the months before it down to the oldest campaign', async () => {
    // GIVEN nothing in December or November, one answer in October
    ddb.on(QueryCommand, { IndexName: 'GSI4' }).resolves({ Items: [] });
    ddb.on(QueryCommand, { IndexName: 'GSI4', ExpressionAttributeValues: { ':pk': 'RESPONSES#2026-10' } }).resolves({ Items: [response('a', {}, '2026-10-05T00:00:00.000Z')] });

    // WHEN the feed is read
    const page = await readFeed({}, 10, undefined, view, NOW);

    // THEN December, November and October were read, newest first each, and nothing before October
    expect(queries().map((q) => [q.ExpressionAttributeValues?.[':pk'], q.ScanIndexForward])).toEqual([
      ['RESPONSES#2026-12', false],
      ['RESPONSES#2026-11', false],
      ['RESPONSES#2026-10', false],
    ]);
    expect(page.items.map((r) => r.invitationId)).toEqual(['a']);
    expect(page.items[0]?.campaignName).toBe('Winter');
    expect(page.nextCursor).toBeUndefined();
  });

  it('makes the date range a key condition, starting at the month of `to`', async () => {
    ddb.on(QueryCommand, { IndexName: 'GSI4' }).resolves({ Items: [] });

    await readFeed({ from: '2026-11-20', to: '2026-11-25' }, 10, undefined, view, NOW);

    const [first, ...rest] = queries();
    expect(first).toMatchObject({
      KeyConditionExpression: 'GSI4PK = :pk AND GSI4SK BETWEEN :sortLow AND :sortHigh',
      ExpressionAttributeValues: { ':pk': 'RESPONSES#2026-11', ':sortLow': '2026-11-20', ':sortHigh': '2026-11-25~' },
    });
    expect(first).not.toHaveProperty('FilterExpression');
    expect(rest).toEqual([]);
  });

  it('hands back a cursor for the month before when a page fills at the end of a month', async () => {
    ddb.on(QueryCommand, { IndexName: 'GSI4' }).resolves({ Items: [response('a', {}, '2026-12-02T00:00:00.000Z')] });

    const first = await readFeed({}, 1, undefined, view, NOW);
    ddb.on(QueryCommand, { IndexName: 'GSI4' }).resolves({ Items: [response('b', {}, '2026-11-02T00:00:00.000Z')] });
    const second = await readFeed({}, 1, first.nextCursor, view, NOW);

    expect(first.nextCursor).toBeDefined();
    expect(queries().at(-1)?.ExpressionAttributeValues?.[':pk']).toBe('RESPONSES#2026-11');
    expect(second.items.map((r) => r.invitationId)).toEqual(['b']);
  });

  it('refuses a cursor of a month outside the range asked for', async () => {
    ddb.on(QueryCommand, { IndexName: 'GSI4' }).resolves({ Items: [response('a', {}, '2026-12-02T00:00:00.000Z')] });
    const { nextCursor } = await readFeed({}, 1, undefined, view, NOW);

    await expect(readFeed({ to: '2026-10-31' }, 1, nextCursor, view, NOW)).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('filters', () => {
  it('puts category, segment, theme and folded search words in the FilterExpression', async () => {
    ddb.on(QueryCommand, { IndexName: 'GSI1' }).resolves({ Items: [] });

    await readFeed({ campaignId: CAMPAIGN, category: 'passive', segment: { attribute: 'plan', value: 'pro' }, theme: 'delivery', q: 'ЁЛКА' }, 10, undefined, view, NOW);

    expect(queries()[0]).toMatchObject({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :sortLow AND :sortHigh',
      FilterExpression: 'score BETWEEN :low AND :high AND #segments.#attribute = :value AND contains(themes, :theme) AND contains(commentFolded, :q)',
      ExpressionAttributeNames: { '#segments': 'segments', '#attribute': 'plan' },
      ExpressionAttributeValues: { ':pk': `CAMPAIGN#${CAMPAIGN}#RESP`, ':sortLow': 'AT#', ':sortHigh': 'AT#~', ':low': 7, ':high': 8, ':value': 'pro', ':theme': 'delivery', ':q': 'елка' },
    });
  });

  it('keeps reading filtered pages until the page is full', async () => {
    // GIVEN a campaign where the filter matches one response in each read
    let n = 0;
    ddb.on(QueryCommand, { IndexName: 'GSI1' }).callsFake((input: QueryCommandInput) => {
      n += 1;
      return { Items: [response(`r${n}`, {})], ScannedCount: 250, LastEvaluatedKey: { ...input.ExpressionAttributeValues, PK: `INV#r${n}`, SK: 'RESPONSE', GSI1PK: `CAMPAIGN#${CAMPAIGN}#RESP`, GSI1SK: `AT#x${n}` } };
    });

    // WHEN a page of 3 is asked for
    const page = await readFeed({ campaignId: CAMPAIGN, category: 'detractor' }, 3, undefined, view, NOW);

    // THEN three reads filled it, and the cursor goes on after the third
    expect(page.items.map((r) => r.invitationId)).toEqual(['r1', 'r2', 'r3']);
    expect(queries()).toHaveLength(3);
    expect(page.nextCursor).toBeDefined();
  });

  it('stops at the read budget with a cursor, even with fewer rows than asked for', async () => {
    ddb.on(QueryCommand, { IndexName: 'GSI1' }).resolves({ Items: [], ScannedCount: 250, LastEvaluatedKey: { PK: 'INV#x', SK: 'RESPONSE', GSI1PK: `CAMPAIGN#${CAMPAIGN}#RESP`, GSI1SK: 'AT#x' } });

    const page = await readFeed({ campaignId: CAMPAIGN, q: 'nothing like it' }, 10, undefined, view, NOW);

    expect(page.items).toEqual([]);
    expect(queries().length).toBeLessThanOrEqual(READ_BUDGET.queries);
    expect(queries().length * 250).toBeGreaterThanOrEqual(READ_BUDGET.items);
    expect(page.nextCursor).toBeDefined();
  });

  it('stops part-way through a read that matched more than the page holds, and goes on after the last row kept', async () => {
    ddb.on(QueryCommand, { IndexName: 'GSI1' }).resolves({ Items: [response('a', {}), response('b', {}), response('c', {})], ScannedCount: 3 });

    const page = await readFeed({ campaignId: CAMPAIGN, category: 'detractor' }, 2, undefined, view, NOW);

    expect(page.items.map((r) => r.invitationId)).toEqual(['a', 'b']);
    const key = JSON.parse(Buffer.from(page.nextCursor ?? '', 'base64url').toString()) as Record<string, string>;
    expect(key).toEqual({ PK: 'INV#b', SK: 'RESPONSE', GSI1PK: `CAMPAIGN#${CAMPAIGN}#RESP`, GSI1SK: `AT#2026-12-01T10:00:00.000Z#b` });
  });
});

describe('CSV export', () => {
  it('leaves a segment cell empty when a response lacks a segment named like a built-in object property', async () => {
    // GIVEN one response with a "toString" segment and an older one without it
    ddb.on(QueryCommand, { IndexName: 'GSI1' }).resolves({ Items: [response('a', { toString: 'gold' }), response('b', {})] });

    // WHEN the responses are exported
    const { body } = await exportFeedCsv({ campaignId: CAMPAIGN }, undefined, view, NOW);

    // THEN the second row's segment cell is empty, not the text of a built-in function
    const [header, first, second] = body.split('\r\n');
    expect(header).toMatch(/"toString"$/);
    expect(first).toMatch(/"gold"$/);
    expect(second).toMatch(/,""$/);
    expect(body).not.toContain('native code');
  });
});

describe('responses for a caller who may not see contacts (marketing)', () => {
  it('lists responses without contact and never reads the invitations', async () => {
    // GIVEN a response whose invitation holds the contact
    ddb.on(QueryCommand, { IndexName: 'GSI1' }).resolves({ Items: [response('a', {})] });

    // WHEN marketing lists them
    const page = await readFeed({ campaignId: CAMPAIGN }, 10, undefined, { withContacts: false }, NOW);

    // THEN the row has no contact, and no invitation was even read (only the campaign, for its name)
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).not.toHaveProperty('contact');
    const wanted = ddb.commandCalls(BatchGetCommand).flatMap((c) => Object.values(c.args[0].input.RequestItems ?? {}).flatMap((r) => r.Keys ?? []));
    expect(wanted.every((k) => String(k.PK).startsWith('CAMPAIGN#'))).toBe(true);
  });

  it('exports CSV without the contact columns', async () => {
    ddb.on(QueryCommand, { IndexName: 'GSI1' }).resolves({ Items: [response('a', {})] });

    const withContacts = await exportFeedCsv({ campaignId: CAMPAIGN }, undefined, view, NOW);
    const without = await exportFeedCsv({ campaignId: CAMPAIGN }, undefined, { withContacts: false }, NOW);

    expect(withContacts.body.split('\r\n')[0]).toContain('"email"');
    expect(without.body.split('\r\n')[0]).toBe('"invitationId","answeredAt","firstAnsweredAt","score","category","comment","campaignId","campaign","themes"');
  });
});
