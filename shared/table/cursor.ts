import * as z from 'zod/mini';
import { DomainError } from '#shared/core/errors';

// DynamoDB refuses a key value that is empty or over 1,024 bytes (a sort key's limit), and a refusal would be a 500.
const KeyValue = z.string().check(
  z.minLength(1),
  z.refine((v) => Buffer.byteLength(v) <= 1024),
);

const Key = z.strictObject({
  PK: KeyValue,
  SK: KeyValue,
  GSI1PK: z.optional(KeyValue),
  GSI1SK: z.optional(KeyValue),
  GSI3PK: z.optional(KeyValue),
  GSI3SK: z.optional(KeyValue),
  GSI4PK: z.optional(KeyValue),
  GSI4SK: z.optional(KeyValue),
});

/** The sort key an index's cursor carries besides the table's keys. */
const indexSortKey = { PK: undefined, GSI1PK: 'GSI1SK', GSI3PK: 'GSI3SK', GSI4PK: 'GSI4SK' } as const;

/** Pagination cursors are the DynamoDB LastEvaluatedKey as base64url JSON. */
export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

/**
 * A cursor must be a key of the very partition being read (`partition`), so a forged or stale
 * cursor is a 400 and never reaches DynamoDB as an invalid start key.
 */
export const decodeCursor = (
  cursor: string | undefined,
  partition: { attribute: 'PK' | 'GSI1PK' | 'GSI3PK' | 'GSI4PK'; value: string },
): Record<string, string> | undefined => {
  if (!cursor) return undefined;
  try {
    const key = Key.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    const sortKey = indexSortKey[partition.attribute];
    // Exactly the read index's keys, and no other index's.
    const foreign = (['GSI1SK', 'GSI3SK', 'GSI4SK'] as const).some((name) => (key[name] !== undefined) !== (name === sortKey));
    if (key[partition.attribute] !== partition.value || foreign) throw new Error('foreign');
    return key as Record<string, string>;
  } catch {
    throw new DomainError('bad_request', 'Invalid cursor');
  }
};

/** Where a read over month partitions (the feed across campaigns) goes on: a month, and within it after `key` (absent: from its newest). */
export interface MonthPosition {
  readonly month: string;
  readonly key?: Record<string, string>;
}

const MonthCursor = z.strictObject({ month: z.string().check(z.regex(/^\d{4}-(?:0[1-9]|1[0-2])$/)), key: z.optional(z.string().check(z.maxLength(2000))) });

export const encodeMonthCursor = (position: MonthPosition): string =>
  encodeCursor({ month: position.month, ...(position.key ? { key: encodeCursor(position.key) } : {}) }) ?? '';

/**
 * A month cursor names a month that `allowed` accepts and, within it, a key of that month's
 * partition (`partitionOf(month)` on `attribute`); anything else is a 400, never a start key.
 */
export const decodeMonthCursor = (
  cursor: string,
  attribute: 'GSI4PK',
  partitionOf: (month: string) => string,
  allowed: (month: string) => boolean,
): MonthPosition => {
  let position: z.infer<typeof MonthCursor>;
  try {
    position = MonthCursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new DomainError('bad_request', 'Invalid cursor');
  }
  if (!allowed(position.month)) throw new DomainError('bad_request', 'Invalid cursor: it belongs to another date range');
  const key = decodeCursor(position.key, { attribute, value: partitionOf(position.month) });
  return { month: position.month, ...(key ? { key } : {}) };
};
