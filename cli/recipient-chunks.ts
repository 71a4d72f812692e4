import { MAX_RECIPIENTS_PER_CALL, type RecipientInput } from '#shared/contract/recipients';

/** A CSV row on its way to the API, with what is needed to report it if it is skipped. */
export interface ImportRow {
  /** The CSV line the row starts on. */
  readonly line: number;
  readonly fields: readonly string[];
  readonly recipient: RecipientInput;
}

export interface RecipientChunk {
  /** 0-based position of the chunk in the file; part of its idempotency key. */
  readonly index: number;
  readonly rows: readonly ImportRow[];
}

export interface ChunkLimits {
  readonly rows: number;
  /** Bytes of the request body. */
  readonly bytes: number;
}

// The admin API takes at most 1000 recipients and reads at most 256 KiB of body per request.
export const chunkLimits: ChunkLimits = { rows: MAX_RECIPIENTS_PER_CALL, bytes: 240 * 1024 };

// TextEncoder rather than Buffer: the console chunks a CSV in the browser with the same boundaries.
const utf8 = new TextEncoder();
const byteLength = (text: string): number => utf8.encode(text).length;
const ENVELOPE_BYTES = byteLength('{"recipients":[]}');

/**
 * Groups rows into requests: at most `limits.rows` recipients and `limits.bytes` of JSON each.
 * The boundaries depend only on the rows, so the same file always makes the same chunks, and a
 * re-run sends each chunk with the same idempotency key.
 */
export async function* recipientChunks(rows: AsyncIterable<ImportRow>, limits: ChunkLimits = chunkLimits): AsyncGenerator<RecipientChunk> {
  let index = 0;
  let current: ImportRow[] = [];
  let bytes = ENVELOPE_BYTES;
  for await (const row of rows) {
    const size = byteLength(JSON.stringify(row.recipient)) + 1; // + the comma
    if (current.length > 0 && (current.length >= limits.rows || bytes + size > limits.bytes)) {
      yield { index: index++, rows: current };
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) yield { index, rows: current };
}

export interface SkippedRow {
  readonly line: number;
  readonly fields: readonly string[];
  readonly reason: string;
  /** What exactly was wrong, when the CLI itself skipped the row. */
  readonly detail?: string;
}

/**
 * The API reports skips by their index in the request; this maps them back to the rows, and so
 * to CSV lines, with `detailOf` saying more about a skip where it can. An index outside the
 * request means client and server disagree about what was sent, which no summary should paper
 * over.
 */
export const skippedRowsOf = (
  chunk: RecipientChunk,
  skipped: readonly { index: number; reason: string }[],
  detailOf: (row: ImportRow, reason: string) => string | undefined = () => undefined,
): SkippedRow[] =>
  skipped.map(({ index, reason }) => {
    const row = chunk.rows[index];
    if (!row) throw new Error(`the API reported a skip at index ${index} of a request with ${chunk.rows.length} recipients`);
    const detail = detailOf(row, reason);
    return { line: row.line, fields: row.fields, reason, ...(detail === undefined ? {} : { detail }) };
  });

/** What an import chunk's Idempotency-Key hashes (idempotency-key.ts); the console hashes the same text with Web Crypto, so a file gets the same keys from both. */
export const importScope = (campaignId: string, digest: string, limits: ChunkLimits = chunkLimits): string => `${limits.rows}/${limits.bytes}\n${campaignId}\n${digest}`;

/** The key from the scope's SHA-256 (hex) and the chunk's number. */
export const chunkKeyOf = (scopeHex: string, chunkIndex: number): string => `npsloop-import-${scopeHex.slice(0, 40)}-${chunkIndex}`;
