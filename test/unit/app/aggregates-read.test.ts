import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { readScore } from '#shared/app/aggregates';
import { slotted } from '#shared/core/aggregates';
import { keys } from '#shared/table/items';

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 'npsloop-test';
});

const slot = (sk: string) => ({ ...keys.aggregate('ALL', slotted(sk, 0)), promoters: 1, passives: 0, detractors: 0 });

describe('reading segment scores', () => {
  it('keeps segments and values named like built-in object properties', async () => {
    // GIVEN aggregate items for the segment "constructor" and the value "__proto__"
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) =>
      input.ExpressionAttributeValues[':seg'] === undefined
        ? { Items: [] }
        : { Items: [slot('SEG#constructor#pro'), slot('SEG#plan#__proto__'), slot('SEG#plan#toString')] },
    );

    // WHEN the score is read
    const { segments } = await readScore('ALL', {});

    // THEN every segment value is its own entry, as data
    expect(JSON.parse(JSON.stringify(segments))).toMatchObject({
      constructor: { pro: { responses: 1 } },
      plan: { __proto__: { responses: 1 }, toString: { responses: 1 } },
    });
    expect(Object.keys(segments)).toEqual(['constructor', 'plan']);
    expect(Object.keys(segments.plan ?? {})).toEqual(['__proto__', 'toString']);
  });
});
