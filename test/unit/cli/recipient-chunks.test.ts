import { describe, expect, it } from 'vitest';
import { importChunkKey } from '../../../cli/idempotency-key.ts';
import { recipientChunks, skippedRowsOf, type ImportRow, type RecipientChunk } from '../../../cli/recipient-chunks.ts';

const rowsOf = (n: number, extra = ''): ImportRow[] =>
  Array.from({ length: n }, (_, i) => ({ line: i + 2, fields: [`u${i}@example.com`], recipient: { email: `u${i}${extra}@example.com` } }));

async function* stream<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

const collect = async (rows: readonly ImportRow[], limits?: { rows: number; bytes: number }) => {
  const chunks: RecipientChunk[] = [];
  for await (const chunk of recipientChunks(stream(rows), limits)) chunks.push(chunk);
  return chunks;
};

describe('recipientChunks', () => {
  it('sends at most 1000 recipients per request, the API maximum', async () => {
    const chunks = await collect(rowsOf(2_500));
    expect(chunks.map((c) => [c.index, c.rows.length])).toEqual([
      [0, 1000],
      [1, 1000],
      [2, 500],
    ]);
    expect(chunks[1]?.rows[0]?.line).toBe(1002);
  });

  it('also closes a chunk before its JSON body would pass the byte limit', async () => {
    // GIVEN recipients of about 2 KB each and a 10 KB body limit
    const rows = rowsOf(12, 'x'.repeat(2_000));
    // WHEN they are chunked
    const chunks = await collect(rows, { rows: 1000, bytes: 10_000 });
    // THEN every body fits
    for (const chunk of chunks) {
      expect(Buffer.byteLength(JSON.stringify({ recipients: chunk.rows.map((r) => r.recipient) }))).toBeLessThanOrEqual(10_000);
    }
    expect(chunks.flatMap((c) => c.rows)).toEqual(rows);
    expect(chunks.length).toBeGreaterThan(2);
  });

  it('makes no empty chunk from no rows', async () => {
    expect(await collect([])).toEqual([]);
  });
});

describe('skippedRowsOf', () => {
  it('maps the API skip indices of one request back to CSV lines', async () => {
    // GIVEN the second request of an import (rows from line 1002 on)
    const second = (await collect(rowsOf(1_500)))[1] as RecipientChunk;
    // WHEN the API skips its indices 0 and 499
    const skipped = skippedRowsOf(second, [
      { index: 0, reason: 'duplicate' },
      { index: 499, reason: 'invalid_email' },
    ]);
    // THEN they are lines 1002 and 1501 of the file
    expect(skipped).toEqual([
      { line: 1002, fields: ['u1000@example.com'], reason: 'duplicate' },
      { line: 1501, fields: ['u1499@example.com'], reason: 'invalid_email' },
    ]);
  });

  it('refuses an index outside the request rather than report the wrong row', async () => {
    const [only] = await collect(rowsOf(3));
    expect(() => skippedRowsOf(only as RecipientChunk, [{ index: 3, reason: 'duplicate' }])).toThrow(/index 3 of a request with 3/);
  });
});

describe('importChunkKey', () => {
  const digest = 'a'.repeat(64);

  it('is the same for the same campaign, file and chunk, so a re-run replays', () => {
    expect(importChunkKey('C1', digest, 4)).toBe(importChunkKey('C1', digest, 4));
    expect(importChunkKey('C1', digest, 4)).toMatch(/^npsloop-import-[0-9a-f]{40}-4$/);
  });

  it('differs by chunk, by file content and by campaign', () => {
    const keys = new Set([
      importChunkKey('C1', digest, 0),
      importChunkKey('C1', digest, 1),
      importChunkKey('C1', 'b'.repeat(64), 0),
      importChunkKey('C2', digest, 0),
    ]);
    expect(keys.size).toBe(4);
  });

  it('differs when the chunk limits do, so one key never names two different sets of rows', () => {
    expect(importChunkKey('C1', digest, 0, { rows: 500, bytes: 240 * 1024 })).not.toBe(importChunkKey('C1', digest, 0));
  });
});
