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

describe('reading the total', () => {
  it('sums the days of every slot, with one Query, and ignores the TOTAL items written before', async () => {
    // GIVEN two days over two slots, and a TOTAL item an earlier version wrote
    const day = (sk: string, s: number, promoters: number, detractors: number) => ({ ...keys.aggregate('ALL', slotted(sk, s)), promoters, passives: 0, detractors });
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) =>
      input.ExpressionAttributeValues[':from']?.startsWith('DAY#')
        ? { Items: [day('DAY#2026-11-30', 0, 2, 1), day('DAY#2026-11-30', 3, 1, 0), day('DAY#2026-12-01', 0, 0, 1)] }
        : { Items: [] },
    );

    // WHEN the score is read without a range
    const score = await readScore('ALL', {});

    // THEN its total is the days' sum, read once
    expect(score).toMatchObject({ responses: 5, promoters: 3, detractors: 2 });
    expect(score.days.map((d) => [d.day, d.responses])).toEqual([
      ['2026-11-30', 4],
      ['2026-12-01', 1],
    ]);
    const asked = ddb.commandCalls(QueryCommand).map((c) => JSON.stringify(c.args[0].input.ExpressionAttributeValues));
    expect(asked.filter((values) => values.includes('TOTAL'))).toEqual([]);
    expect(asked.filter((values) => values.includes('"DAY#'))).toHaveLength(1);
  });
});
