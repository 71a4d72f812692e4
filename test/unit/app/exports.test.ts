import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { exportResponsesCsv, listResponses } from '#shared/app/exports';

const ddb = mockClient(DynamoDBDocumentClient);
const CAMPAIGN = '01KB0000000000000000000000';

const response = (invitationId: string, segments: Record<string, string>) => ({
  PK: `INV#${invitationId}`,
  SK: 'RESPONSE',
  invitationId,
  campaignId: CAMPAIGN,
  score: 3,
  segments,
  day: '2026-12-01',
  firstAnsweredAt: '2026-12-01T10:00:00.000Z',
  answeredAt: '2026-12-01T10:00:00.000Z',
  version: 1,
});

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 'npsloop-test';
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
});

describe('CSV export', () => {
  it('leaves a segment cell empty when a response lacks a segment named like a built-in object property', async () => {
    // GIVEN one response with a "toString" segment and an older one without it
    ddb.on(QueryCommand).resolves({ Items: [response('a', { toString: 'gold' }), response('b', {})] });

    // WHEN the responses are exported
    const { body } = await exportResponsesCsv(CAMPAIGN);

    // THEN the second row's segment cell is empty, not the text of a built-in function
    const [header, first, second] = body.split('\r\n');
    expect(header).toMatch(/"toString"$/);
    expect(first).toMatch(/"gold"$/);
    expect(second).toMatch(/,""$/);
    expect(body).not.toContain('native code');
  });
});

describe("responses for a caller who may not see contacts (marketing)", () => {
  it('lists responses without contact and never reads the invitations', async () => {
    // GIVEN a response whose invitation holds the contact
    ddb.on(QueryCommand).resolves({ Items: [response('a', {})] });

    // WHEN marketing lists them
    const page = await listResponses(CAMPAIGN, 10, undefined, { withContacts: false });

    // THEN the row has no contact, and the contact was not even read
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).not.toHaveProperty('contact');
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('exports CSV without the contact columns', async () => {
    ddb.on(QueryCommand).resolves({ Items: [response('a', {})] });

    const withContacts = await exportResponsesCsv(CAMPAIGN);
    const without = await exportResponsesCsv(CAMPAIGN, undefined, { withContacts: false });

    expect(withContacts.body.split('\r\n')[0]).toContain('"email"');
    expect(without.body.split('\r\n')[0]).toBe('"invitationId","answeredAt","firstAnsweredAt","score","category","comment"');
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1); // only the export with contacts read them
  });
});
