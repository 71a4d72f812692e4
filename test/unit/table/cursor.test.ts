import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '#shared/table/cursor';
import { gsi1, keys } from '#shared/table/items';

const partition = { attribute: 'GSI1PK', value: 'CAMPAIGNS' } as const;

describe('pagination cursor', () => {
  it('round-trips a key of the partition being read', () => {
    const key = { ...keys.campaign('1'), GSI1PK: gsi1.campaigns, GSI1SK: '1' };
    expect(decodeCursor(encodeCursor(key), partition)).toEqual(key);
  });

  it.each([
    ['junk', 'not-base64-json'],
    ['another partition', encodeCursor({ PK: 'X', SK: 'Y', GSI1PK: 'FOLLOWUPS', GSI1SK: '1' })],
    ['extra attributes', encodeCursor({ PK: 'X', SK: 'Y', GSI1PK: 'CAMPAIGNS', GSI1SK: '1', evil: 1 })],
    ['a sort key longer than DynamoDB allows', encodeCursor({ PK: 'X', SK: 'Y'.repeat(1100), GSI1PK: 'CAMPAIGNS', GSI1SK: '1' })],
    ['an index key longer than DynamoDB allows', encodeCursor({ PK: 'X', SK: 'Y', GSI1PK: 'CAMPAIGNS', GSI1SK: 'é'.repeat(600) })],
    ['an empty key', encodeCursor({ PK: '', SK: 'Y', GSI1PK: 'CAMPAIGNS', GSI1SK: '1' })],
  ])('refuses %s with a 400', (_, cursor) => {
    expect(() => decodeCursor(cursor, partition)).toThrow(expect.objectContaining({ statusCode: 400 }));
  });
});
