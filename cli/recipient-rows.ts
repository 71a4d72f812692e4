import { AttributeName } from '#shared/contract/fields';
import { RecipientInput } from '#shared/contract/recipients';

/**
 * How a CSV's columns become recipients: the contact fields by name (any letter case), every
 * other named column an attribute. Decided once from the header, applied to every row.
 */

const contactFields = ['email', 'phone', 'name', 'locale', 'timezone', 'externalId'] as const;
type ContactField = (typeof contactFields)[number];
const contactFieldByName = new Map<string, ContactField>(contactFields.map((f) => [f.toLowerCase(), f]));

/**
 * The columns a `--skipped-out` file adds. They are ignored on import, so a fixed skipped-rows
 * file can be imported again as it is.
 */
export const SKIP_REASON_COLUMN = 'skip_reason';
export const SKIP_LINE_COLUMN = 'skip_line';
export const SKIP_DETAIL_COLUMN = 'skip_detail';
const reportColumns = new Set([SKIP_REASON_COLUMN, SKIP_LINE_COLUMN, SKIP_DETAIL_COLUMN]);

export type Column =
  | { readonly kind: 'contact'; readonly field: ContactField; readonly header: string }
  | { readonly kind: 'attribute'; readonly name: string; readonly header: string }
  | { readonly kind: 'ignored'; readonly header: string };

export interface ColumnPlan {
  readonly columns: readonly Column[];
  /** Indices of the columns a skipped-rows report repeats: every column of the input but the report's own. */
  readonly dataColumns: readonly number[];
}

export class CsvHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvHeaderError';
  }
}

/** Reads the header row. Fails on a header the API could not take, naming the column. */
export const planColumns = (header: readonly string[]): ColumnPlan => {
  const seen = new Map<string, string>();
  const columns = header.map((raw, index): Column => {
    const name = raw.trim();
    const lower = name.toLowerCase();
    // Spreadsheets often export a trailing comma: an unnamed column is dropped, not an error.
    if (name === '' || reportColumns.has(lower)) return { kind: 'ignored', header: raw };
    const field = contactFieldByName.get(lower);
    const earlier = seen.get(field ? lower : name);
    if (earlier !== undefined) throw new CsvHeaderError(`columns "${earlier}" and "${name}" are the same column`);
    seen.set(field ? lower : name, name);
    if (field) return { kind: 'contact', field, header: raw };
    // The API's own rule for attribute names, so a bad header fails before anything is sent.
    const attribute = AttributeName.safeParse(name);
    if (!attribute.success) {
      const reserved = attribute.error.issues.find((i) => i.message.includes('reserved'));
      throw new CsvHeaderError(
        `column ${index + 1} "${name}" cannot be an attribute: ${reserved?.message ?? 'use letters, digits and _ (starting with a letter, at most 32)'}`,
      );
    }
    return { kind: 'attribute', name, header: raw };
  });
  if (!columns.some((c) => c.kind === 'contact' && (c.field === 'email' || c.field === 'phone'))) {
    throw new CsvHeaderError('the header needs an email or a phone column');
  }
  return {
    columns,
    dataColumns: header.flatMap((raw, i) => (reportColumns.has(raw.trim().toLowerCase()) ? [] : [i])),
  };
};

export type RowResult =
  | { readonly kind: 'recipient'; readonly recipient: RecipientInput }
  | { readonly kind: 'blank' }
  /** A row the API would refuse as a whole request; it is skipped here and never sent. */
  | { readonly kind: 'invalid'; readonly problem: string };

/** One data row as the API's recipient. Empty cells are left out, so the API applies its defaults. */
export const recipientOf = (plan: ColumnPlan, fields: readonly string[]): RowResult => {
  if (fields.every((f) => f.trim() === '')) return { kind: 'blank' };
  const extra = fields.slice(plan.columns.length).filter((f) => f.trim() !== '');
  if (extra.length > 0) return { kind: 'invalid', problem: `${fields.length} fields, but the header has ${plan.columns.length}` };

  const recipient: Record<string, string> = {};
  const attributes = new Map<string, string>();
  plan.columns.forEach((column, i) => {
    const value = fields[i]?.trim() ?? '';
    if (value === '' || column.kind === 'ignored') return;
    if (column.kind === 'contact') recipient[column.field] = value;
    else attributes.set(column.name, value);
  });
  // One bad row must not make the API refuse the other 999 in its request, so rows are checked
  // against the API's own schema first.
  const parsed = RecipientInput.safeParse(attributes.size > 0 ? { ...recipient, attributes: Object.fromEntries(attributes) } : recipient);
  if (!parsed.success) {
    return { kind: 'invalid', problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  return { kind: 'recipient', recipient: parsed.data };
};
