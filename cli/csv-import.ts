import { createHash } from 'node:crypto';
import type { ApiClient } from './api-client.ts';
import { csvFileRecords } from './csv-file.ts';
import { importChunkKey } from './idempotency-key.ts';
import type { Progress } from './progress.ts';
import { chunkLimits, recipientChunks, skippedRowsOf, type ChunkLimits, type ImportRow, type SkippedRow } from './recipient-chunks.ts';
import { planColumns, recipientOf, type ColumnPlan } from './recipient-rows.ts';
import { duplicateDetail, repeatedAddresses } from './repeated-addresses.ts';
import { openSkippedReport, type SkippedReport } from './skipped-report.ts';

/**
 * `recipients add --csv`: a CSV file into a campaign, in requests the API accepts, with every
 * skipped row accounted for by its CSV line.
 *
 * The file is read twice, streaming both times: first to hash it (for the idempotency keys) and
 * to check it all (syntax, header) before a single recipient is sent, so a broken file never
 * leaves a half-done import; then to send it.
 */

/** A row the CLI did not send because the API would have refused its whole request. */
export const LOCAL_SKIP_REASON = 'invalid_row';

export interface ImportSummary {
  readonly campaignId: string;
  readonly file: string;
  /** Data rows in the file (blank rows not counted). */
  readonly rows: number;
  readonly accepted: number;
  /** Rows an earlier run of this same import already added: their requests were answered from the Idempotency-Key's record. */
  readonly alreadyImported: number;
  /** By reason, the API's and `invalid_row` for rows not sent. */
  readonly skipped: Readonly<Record<string, number>>;
  /** How the `duplicate` skips split: rows repeating an earlier line of the file (the first few named) and contacts an earlier import added. */
  readonly duplicates?: DuplicateSplit;
  readonly requests: number;
  readonly seconds: number;
  readonly skippedOut?: string;
}

export interface DuplicateSplit {
  readonly sameAsEarlierLine: number;
  readonly alreadyInCampaign: number;
  /** The first few rows that repeat an earlier line, and that line. */
  readonly examples: readonly { readonly line: number; readonly sameAs: number }[];
}

const DUPLICATE_EXAMPLES = 3;

export interface ImportOptions {
  readonly campaignId: string;
  readonly csvPath: string;
  readonly skippedOut?: string;
  readonly api: Pick<ApiClient, 'addRecipients'>;
  readonly progress: Progress;
  readonly limits?: ChunkLimits;
}

/** The import stopped part way; `summary` says what had been done by then. */
export class ImportStopped extends Error {
  constructor(
    reason: Error,
    readonly summary: ImportSummary,
    line: number,
  ) {
    super(
      `${reason.message}; stopped at line ${line} with ${summary.accepted.toLocaleString('en-US')} recipients accepted before it ` +
        '(running the same import again is safe)',
      { cause: reason },
    );
    this.name = 'ImportStopped';
  }
}

interface FileCheck {
  readonly digest: string;
  readonly header: readonly string[];
  readonly plan: ColumnPlan;
  /** Records after the header, blank or not: the denominator of the progress. */
  readonly records: number;
}

/** Reads the whole file once: its SHA-256, its header, and that every record parses. */
export const checkCsvFile = async (path: string): Promise<FileCheck> => {
  const hash = createHash('sha256');
  let header: string[] | undefined;
  let records = 0;
  for await (const record of csvFileRecords(path, (bytes) => hash.update(bytes))) {
    if (header) records++;
    else header = record.fields;
  }
  if (!header) throw new Error(`${path} is empty: it needs a header row (email, name, …) and one row per recipient`);
  try {
    return { digest: hash.digest('hex'), header, plan: planColumns(header), records };
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
};

export const importRecipients = async (options: ImportOptions): Promise<ImportSummary> => {
  const started = performance.now();
  const { campaignId, csvPath, api, progress } = options;
  const limits = options.limits ?? chunkLimits;
  const file = await checkCsvFile(csvPath);
  const report: SkippedReport | undefined = options.skippedOut ? await openSkippedReport(options.skippedOut, file.header, file.plan) : undefined;

  let rows = 0;
  let accepted = 0;
  let alreadyImported = 0;
  let requests = 0;
  const skipped = new Map<string, number>();
  const repeats = repeatedAddresses();
  const duplicates = { sameAsEarlierLine: 0, alreadyInCampaign: 0, examples: [] as { line: number; sameAs: number }[] };
  const detailOf = (row: ImportRow, reason: string) => {
    if (reason !== 'duplicate') return undefined;
    const sameAs = repeats.earlierLineOf(row.line, row.recipient);
    if (sameAs === undefined) duplicates.alreadyInCampaign++;
    else {
      duplicates.sameAsEarlierLine++;
      if (duplicates.examples.length < DUPLICATE_EXAMPLES) duplicates.examples.push({ line: row.line, sameAs });
    }
    return duplicateDetail(sameAs);
  };
  const countSkips = (list: readonly SkippedRow[]) => {
    for (const { reason } of list) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  // Rows held back here are read before the API has answered for the rows around them; they
  // wait so the report lists every skipped row in file order.
  let heldBack: SkippedRow[] = [];
  const writeReport = async (answered: readonly SkippedRow[], upToLine: number) => {
    const due = heldBack.filter((s) => s.line < upToLine);
    heldBack = heldBack.filter((s) => s.line >= upToLine);
    await report?.write([...due, ...answered].sort((a, b) => a.line - b.line));
  };
  const summary = (): ImportSummary => ({
    campaignId,
    file: csvPath,
    rows,
    accepted,
    alreadyImported,
    ...(skipped.has('duplicate') ? { duplicates: { ...duplicates, examples: [...duplicates.examples] } } : {}),
    skipped: Object.fromEntries([...skipped].sort(([a], [b]) => a.localeCompare(b))),
    requests,
    seconds: (performance.now() - started) / 1000,
    ...(options.skippedOut ? { skippedOut: options.skippedOut } : {}),
  });
  const show = () => {
    const skippedTotal = [...skipped.values()].reduce((a, b) => a + b, 0);
    // Rows done are the ones with an outcome; the reader runs a row ahead of the requests.
    progress.update({
      rows: accepted + alreadyImported + skippedTotal,
      total: file.records,
      accepted: accepted + alreadyImported,
      skipped: skippedTotal,
    });
  };

  async function* importRows(): AsyncGenerator<ImportRow> {
    let header = true;
    for await (const record of csvFileRecords(csvPath)) {
      if (header) {
        header = false;
        continue;
      }
      const row = recipientOf(file.plan, record.fields);
      if (row.kind === 'blank') continue;
      rows++;
      if (row.kind === 'invalid') {
        const local = { line: record.line, fields: record.fields, reason: LOCAL_SKIP_REASON, detail: row.problem };
        countSkips([local]);
        heldBack.push(local);
      } else {
        repeats.see(record.line, row.recipient);
        yield { line: record.line, fields: record.fields, recipient: row.recipient };
      }
    }
  }

  try {
    show(); // the total, before the first request takes its seconds
    for await (const chunk of recipientChunks(importRows(), limits)) {
      const key = importChunkKey(campaignId, file.digest, chunk.index, limits);
      progress.sending(chunk.rows.length);
      const result = await api.addRecipients(campaignId, chunk.rows.map((r) => r.recipient), key).catch(async (error: unknown) => {
        const line = chunk.rows[0]?.line ?? 0;
        await writeReport([], line);
        throw new ImportStopped(error instanceof Error ? error : new Error(String(error)), summary(), line);
      });
      requests++;
      if (result.replayed) alreadyImported += result.accepted;
      else accepted += result.accepted;
      const answered = skippedRowsOf(chunk, result.skipped, detailOf);
      countSkips(answered);
      await writeReport(answered, chunk.rows.at(-1)?.line ?? 0);
      show();
    }
    await writeReport([], Infinity);
    show();
  } finally {
    progress.done();
    await report?.close();
  }
  return summary();
};
