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

/** What is wrong with a header row, for a reader to put in their own words (the console's languages). */
export type HeaderProblem =
  | { readonly kind: 'same_column'; readonly first: string; readonly second: string }
  /** Column `column` (1-based) is not a contact field and not a usable attribute name; `reserved` if the name is one the API keeps. */
  | { readonly kind: 'bad_attribute'; readonly column: number; readonly name: string; readonly reserved?: string }
  | { readonly kind: 'no_contact_column' };

const ATTRIBUTE_RULE = 'use letters, digits and _ (starting with a letter, at most 32)';

const headerMessage = (problem: HeaderProblem): string => {
  switch (problem.kind) {
    case 'same_column':
      return `columns "${problem.first}" and "${problem.second}" are the same column`;
    case 'bad_attribute':
      return `column ${problem.column} "${problem.name}" cannot be an attribute: ${problem.reserved ?? ATTRIBUTE_RULE}`;
    case 'no_contact_column':
      return 'the header needs an email or a phone column';
  }
};

export class CsvHeaderError extends Error {
  constructor(readonly problem: HeaderProblem) {
    super(headerMessage(problem));
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
    if (earlier !== undefined) throw new CsvHeaderError({ kind: 'same_column', first: earlier, second: name });
    seen.set(field ? lower : name, name);
    if (field) return { kind: 'contact', field, header: raw };
    // The API's own rule for attribute names, so a bad header fails before anything is sent.
    const attribute = AttributeName.safeParse(name);
    if (!attribute.success) {
      const reserved = attribute.error.issues.find((i) => i.message.includes('reserved'));
      throw new CsvHeaderError({ kind: 'bad_attribute', column: index + 1, name, ...(reserved ? { reserved: reserved.message } : {}) });
    }
    return { kind: 'attribute', name, header: raw };
  });
  if (!columns.some((c) => c.kind === 'contact' && (c.field === 'email' || c.field === 'phone'))) {
    throw new CsvHeaderError({ kind: 'no_contact_column' });
  }
  return {
    columns,
    dataColumns: header.flatMap((raw, i) => (reportColumns.has(raw.trim().toLowerCase()) ? [] : [i])),
  };
};

export type RowResult =
  | { readonly kind: 'recipient'; readonly recipient: RecipientInput }
  | { readonly kind: 'blank' }
  /** A row the API would refuse as a whole request; it is skipped here and never sent. `problem` says why in English. */
  | { readonly kind: 'invalid'; readonly problem: string; readonly issues: readonly RowIssue[] };

/**
 * One thing wrong with a row, for a reader to put in their own words: too many fields, or a field
 * (`attributes.plan` for an attribute column) the API's schema refuses, with zod's issue code and,
 * for a value too long, the longest allowed.
 */
export type RowIssue =
  | { readonly kind: 'field_count'; readonly fields: number; readonly columns: number }
  | { readonly kind: 'field'; readonly field: string; readonly code: string; readonly maximum?: number };

/** One data row as the API's recipient. Empty cells are left out, so the API applies its defaults. */
export const recipientOf = (plan: ColumnPlan, fields: readonly string[]): RowResult => {
  if (fields.every((f) => f.trim() === '')) return { kind: 'blank' };
  const extra = fields.slice(plan.columns.length).filter((f) => f.trim() !== '');
  if (extra.length > 0) {
    return {
      kind: 'invalid',
      problem: `${fields.length} fields, but the header has ${plan.columns.length}`,
      issues: [{ kind: 'field_count', fields: fields.length, columns: plan.columns.length }],
    };
  }

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
    return {
      kind: 'invalid',
      problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      issues: parsed.error.issues.map((i) => ({
        kind: 'field' as const,
        field: i.path.join('.'),
        code: i.code,
        ...(i.code === 'too_big' && typeof i.maximum === 'number' ? { maximum: i.maximum } : {}),
      })),
    };
  }
  return { kind: 'recipient', recipient: parsed.data };
};
