/**
 * A recipients CSV in the browser, by the CLI's own rules (cli/csv-records.ts, recipient-rows.ts,
 * recipient-chunks.ts, idempotency-key.ts): a header row in any letter case, attributes from the
 * other columns, every row checked with the API's schema, chunks of at most 1,000 rows, and each
 * chunk's Idempotency-Key from the campaign, the file's SHA-256 and the chunk's number, so a
 * reload-and-retry (or the CLI on the same file) replays instead of adding anyone twice.
 *
 * The file is read in slices that give the page back every few milliseconds, so a 10,000-row file
 * never freezes it.
 */
import { csvRecords, CsvSyntaxError, type CsvSyntaxReason } from '../../cli/csv-records.ts';
import { chunkKeyOf, chunkLimits, importScope, recipientChunks, skippedRowsOf, type ImportRow, type RecipientChunk, type SkippedRow } from '../../cli/recipient-chunks.ts';
import {
  CsvHeaderError,
  planColumns,
  recipientOf,
  SKIP_DETAIL_COLUMN,
  SKIP_LINE_COLUMN,
  SKIP_REASON_COLUMN,
  type ColumnPlan,
  type HeaderProblem,
  type RowIssue,
} from '../../cli/recipient-rows.ts';
import type { AddRecipientsResult, RecipientInput } from '#shared/contract/recipients';
import { csvRow } from '#shared/render/csv';

/** The reason the CLI gives a row the API would refuse as a whole request; it is never sent. */
export const INVALID_ROW = 'invalid_row';

/** How long the page may be busy before it gets a turn: well under the 50 ms of a long task. */
const SLICE_MS = 12;
const PIECE_CHARS = 16 * 1024;

export interface CheckedFile {
  readonly digest: string;
  readonly header: readonly string[];
  readonly plan: ColumnPlan;
  readonly rows: readonly ImportRow[];
  /** Rows refused here, with the line and what is wrong. */
  readonly invalid: readonly SkippedRow[];
  readonly chunks: readonly RecipientChunk[];
}

/** Why a file cannot be used at all, in parts a screen puts in its own language. */
export type FileProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'syntax'; readonly line: number; readonly reason: CsvSyntaxReason }
  | { readonly kind: 'header'; readonly problem: HeaderProblem }
  | { readonly kind: 'unreadable'; readonly message: string };

/** Says what is wrong with a row; the screen passes one in its language. The default is the CLI's English. */
export type DescribeRow = (issues: readonly RowIssue[], english: string) => string;

export class FileRefused extends Error {
  constructor(readonly problem: FileProblem) {
    super(problem.kind);
  }
}

const giveWay = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

export const sha256 = async (data: ArrayBuffer | Uint8Array<ArrayBuffer> | string): Promise<string> =>
  hex(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? new TextEncoder().encode(data) : data));

/** Reads and checks the whole file: its digest, its header, every row; `progress` gets the share of the file read. */
export const checkFile = async (
  file: Blob,
  progress: (share: number) => void = () => undefined,
  describe: DescribeRow = (_issues, english) => english,
): Promise<CheckedFile> => {
  const bytes = await file.arrayBuffer();
  const digest = await sha256(bytes);
  const text = new TextDecoder().decode(bytes);
  let sliceStart = performance.now();
  async function* pieces() {
    for (let at = 0; at < text.length; at += PIECE_CHARS) {
      if (performance.now() - sliceStart > SLICE_MS) {
        progress(at / text.length);
        await giveWay();
        sliceStart = performance.now();
      }
      yield text.slice(at, at + PIECE_CHARS);
    }
  }
  let header: string[] | undefined;
  let plan: ColumnPlan | undefined;
  const rows: ImportRow[] = [];
  const invalid: SkippedRow[] = [];
  try {
    for await (const record of csvRecords(pieces())) {
      if (!plan) {
        header = record.fields;
        plan = planColumns(header);
        continue;
      }
      const row = recipientOf(plan, record.fields);
      if (row.kind === 'invalid') invalid.push({ line: record.line, fields: record.fields, reason: INVALID_ROW, detail: describe(row.issues, row.problem) });
      else if (row.kind === 'recipient') rows.push({ line: record.line, fields: record.fields, recipient: row.recipient });
      if (performance.now() - sliceStart > SLICE_MS) {
        await giveWay();
        sliceStart = performance.now();
      }
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new FileRefused({ kind: 'syntax', line: error.line, reason: error.reason });
    if (error instanceof CsvHeaderError) throw new FileRefused({ kind: 'header', problem: error.problem });
    throw error;
  }
  if (!header || !plan) throw new FileRefused({ kind: 'empty' });
  const chunks: RecipientChunk[] = [];
  async function* listed() {
    yield* rows;
  }
  for await (const chunk of recipientChunks(listed())) chunks.push(chunk);
  progress(1);
  return { digest, header, plan, rows, invalid, chunks };
};

/** Each chunk's Idempotency-Key: the CLI's for the same campaign and file. */
export const chunkKeys = async (campaignId: string, file: CheckedFile): Promise<string[]> => {
  const scope = await sha256(importScope(campaignId, file.digest, chunkLimits));
  return file.chunks.map((chunk) => chunkKeyOf(scope, chunk.index));
};

export interface UploadTally {
  /** Rows with an outcome, of `total`. */
  readonly done: number;
  readonly total: number;
  readonly accepted: number;
  /** Accepted by an earlier upload of the same file (a replay): added then, not now. */
  readonly alreadyAdded: number;
  readonly skipped: ReadonlyMap<string, number>;
  readonly skippedRows: readonly SkippedRow[];
}

export const startTally = (file: CheckedFile): UploadTally => ({
  done: file.invalid.length,
  total: file.rows.length + file.invalid.length,
  accepted: 0,
  alreadyAdded: 0,
  skipped: file.invalid.length ? new Map([[INVALID_ROW, file.invalid.length]]) : new Map(),
  skippedRows: file.invalid,
});

/** The tally after one chunk's answer. */
export const tallyChunk = (before: UploadTally, chunk: RecipientChunk, result: AddRecipientsResult): UploadTally => {
  const answered = skippedRowsOf(chunk, result.skipped);
  const skipped = new Map(before.skipped);
  for (const { reason } of answered) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  return {
    ...before,
    done: before.done + chunk.rows.length,
    accepted: before.accepted + (result.replayed ? 0 : result.accepted),
    alreadyAdded: before.alreadyAdded + (result.replayed ? result.accepted : 0),
    skipped,
    skippedRows: [...before.skippedRows, ...answered],
  };
};

/** The skipped rows as a CSV: the file's own columns, then why, from which line, and what exactly; formula-safe. It imports again as it is. */
export const skippedCsv = (file: CheckedFile, rows: readonly SkippedRow[]): string => {
  const columns = file.plan.dataColumns;
  const lines = [...rows].sort((a, b) => a.line - b.line).map((row) => csvRow([...columns.map((i) => row.fields[i] ?? ''), row.reason, row.line, row.detail ?? '']));
  return [csvRow([...columns.map((i) => file.header[i] ?? ''), SKIP_REASON_COLUMN, SKIP_LINE_COLUMN, SKIP_DETAIL_COLUMN]), ...lines].join('');
};

export type { ImportRow, RecipientChunk, RecipientInput, RowIssue, SkippedRow };
