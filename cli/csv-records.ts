/**
 * A streaming RFC 4180 reader: fields separated by commas, records by CRLF, LF or CR; a field
 * in double quotes may hold commas, line breaks and doubled quotes. It is lenient where
 * spreadsheets are sloppy (a stray quote inside an unquoted field is kept as text) and strict
 * where guessing would corrupt data (a quote that is never closed is an error).
 *
 * Written here rather than taken from a package because an import must report the exact line
 * each record starts on, and that is the one thing the common parsers count differently.
 */

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line of the file where the record starts (a quoted line break makes a record span lines). */
  readonly line: number;
}

/** Why a file cannot be read as CSV, for a reader to put in their own words (the console's languages). */
export type CsvSyntaxReason =
  | { readonly kind: 'long_quoted_field'; readonly limit: number }
  | { readonly kind: 'long_field'; readonly limit: number }
  | { readonly kind: 'unclosed_quote' };

const syntaxMessage = (reason: CsvSyntaxReason): string => {
  switch (reason.kind) {
    case 'long_quoted_field':
      return `a field is longer than ${reason.limit} characters: is a quote not closed?`;
    case 'long_field':
      return `a field is longer than ${reason.limit} characters`;
    case 'unclosed_quote':
      return 'a quoted field is not closed';
  }
};

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: CsvSyntaxReason,
  ) {
    super(`line ${line}: ${syntaxMessage(reason)}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;
const BOM = '\uFEFF';

/** Longer than any real cell; reached when a quote is never closed and the rest of the file pours into one field. */
export const MAX_FIELD_CHARS = 1_000_000;

/** Yields the records of CSV text that arrives in pieces (a piece may end anywhere: inside a field, a quote or a CRLF). */
export async function* csvRecords(
  text: AsyncIterable<string> | Iterable<string>,
  maxFieldChars = MAX_FIELD_CHARS,
): AsyncGenerator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  /** The field started with a quote, so a later quote in it is text, not the start of quoting. */
  let fieldQuoted = false;
  let inQuotes = false;
  /** Inside quotes, the last character was a quote: either the first of an escaped "" or the closing quote. */
  let quoteSeen = false;
  /** The last character read was CR, so an LF right after it is the same line break. */
  let afterCR = false;
  let line = 1;
  let recordLine = 1;
  let first = true;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldQuoted = false;
  };
  /** Ends the record; a line with nothing on it is not a record. */
  const endRecord = (): CsvRecord | undefined => {
    endField();
    const record = fields.length === 1 && fields[0] === '' ? undefined : { fields, line: recordLine };
    fields = [];
    return record;
  };

  for await (let piece of text) {
    if (first && piece.length > 0) {
      first = false;
      if (piece.startsWith(BOM)) piece = piece.slice(1);
    }
    const out: CsvRecord[] = [];
    const n = piece.length;
    let i = 0;
    while (i < n) {
      if (inQuotes) {
        if (quoteSeen) {
          quoteSeen = false;
          if (piece.charCodeAt(i) === QUOTE) {
            field += '"';
            i++;
          } else inQuotes = false; // that quote closed the field; this character is read unquoted
          continue;
        }
        // Copy up to the next quote in one slice, counting the line breaks inside the field.
        const close = piece.indexOf('"', i);
        const end = close === -1 ? n : close;
        for (let j = i; j < end; j++) {
          const c = piece.charCodeAt(j);
          if (c === CR || (c === LF && !afterCR)) line++;
          afterCR = c === CR;
        }
        field += piece.slice(i, end);
        if (field.length > maxFieldChars) {
          throw new CsvSyntaxError(recordLine, { kind: 'long_quoted_field', limit: maxFieldChars });
        }
        i = end;
        if (close !== -1) {
          quoteSeen = true;
          afterCR = false;
          i++;
        }
        continue;
      }
      const c = piece.charCodeAt(i);
      if (c === LF && afterCR) {
        // The LF of a CRLF whose CR ended the record (possibly at the end of the previous piece).
        afterCR = false;
        i++;
      } else if (c === COMMA) {
        endField();
        afterCR = false;
        i++;
      } else if (c === LF || c === CR) {
        const record = endRecord();
        if (record) out.push(record);
        line++;
        recordLine = line;
        afterCR = c === CR;
        i++;
      } else if (c === QUOTE && field === '' && !fieldQuoted) {
        inQuotes = true;
        fieldQuoted = true;
        afterCR = false;
        i++;
      } else {
        // Text up to the next special character, in one slice. A quote that does not open a
        // field is kept as text ('5" screen'): spreadsheets write such files.
        let j = i + 1;
        while (j < n) {
          const d = piece.charCodeAt(j);
          if (d === COMMA || d === LF || d === CR || d === QUOTE) break;
          j++;
        }
        field += piece.slice(i, j);
        if (field.length > maxFieldChars) throw new CsvSyntaxError(recordLine, { kind: 'long_field', limit: maxFieldChars });
        afterCR = false;
        i = j;
      }
    }
    yield* out;
  }
  if (inQuotes && !quoteSeen) throw new CsvSyntaxError(recordLine, { kind: 'unclosed_quote' });
  if (fields.length > 0 || field !== '' || fieldQuoted) {
    const record = endRecord();
    if (record) yield record;
  }
}
