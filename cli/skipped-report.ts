import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { SKIP_DETAIL_COLUMN, SKIP_LINE_COLUMN, SKIP_REASON_COLUMN, type ColumnPlan } from './recipient-rows.ts';
import type { SkippedRow } from './recipient-chunks.ts';

/** A field as RFC 4180 wants it: quoted when it holds a comma, quote or line break, or edge spaces a reader would trim. */
export const csvField = (value: string): string =>
  /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`;

/**
 * The `--skipped-out` file: the input's own columns, then why each row was skipped (a reason
 * code), which line it came from, and what exactly was wrong ("same address as line 17"). Fix the rows, and the file imports as it is (the two report columns are
 * ignored on import).
 */
export interface SkippedReport {
  write(rows: readonly SkippedRow[]): Promise<void>;
  close(): Promise<void>;
}

export const openSkippedReport = async (path: string, header: readonly string[], plan: ColumnPlan): Promise<SkippedReport> => {
  const out: WriteStream = createWriteStream(path, { encoding: 'utf8' });
  await once(out, 'open');
  const pick = (fields: readonly string[]) => plan.dataColumns.map((i) => fields[i] ?? '');
  const put = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await put(csvLine([...pick(header), SKIP_REASON_COLUMN, SKIP_LINE_COLUMN, SKIP_DETAIL_COLUMN]));
  return {
    write: async (rows) => {
      if (rows.length > 0) await put(rows.map((r) => csvLine([...pick(r.fields), r.reason, String(r.line), r.detail ?? ''])).join(''));
    },
    close: async () => {
      out.end();
      await once(out, 'finish');
    },
  };
};
