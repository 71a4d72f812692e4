import * as z from 'zod';
import { DomainError } from '#shared/core/errors';

// DynamoDB refuses a key value that is empty or over 1,024 bytes (a sort key's limit), and a refusal would be a 500.
const KeyValue = z
  .string()
  .min(1)
  .refine((v) => Buffer.byteLength(v) <= 1024);

const Key = z
  .object({
    PK: KeyValue,
    SK: KeyValue,
    GSI1PK: KeyValue.optional(),
    GSI1SK: KeyValue.optional(),
    GSI3PK: KeyValue.optional(),
    GSI3SK: KeyValue.optional(),
  })
  .strict();

/** The sort key an index's cursor carries besides the table's keys. */
const indexSortKey = { PK: undefined, GSI1PK: 'GSI1SK', GSI3PK: 'GSI3SK' } as const;

/** Pagination cursors are the DynamoDB LastEvaluatedKey as base64url JSON. */
export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

/**
 * A cursor must be a key of the very partition being read (`partition`), so a forged or stale
 * cursor is a 400 and never reaches DynamoDB as an invalid start key.
 */
export const decodeCursor = (
  cursor: string | undefined,
  partition: { attribute: 'PK' | 'GSI1PK' | 'GSI3PK'; value: string },
): Record<string, string> | undefined => {
  if (!cursor) return undefined;
  try {
    const key = Key.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    const sortKey = indexSortKey[partition.attribute];
    // Exactly the read index's keys, and no other index's.
    const foreign = (['GSI1SK', 'GSI3SK'] as const).some((name) => (key[name] !== undefined) !== (name === sortKey));
    if (key[partition.attribute] !== partition.value || foreign) throw new Error('foreign');
    return key as Record<string, string>;
  } catch {
    throw new DomainError('bad_request', 'Invalid cursor');
  }
};
