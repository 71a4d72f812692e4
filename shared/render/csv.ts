/** RFC 4180 CSV: every field quoted, quotes doubled, CRLF line ends. */
const field = (value: unknown): string => {
  const text = value === undefined || value === null ? '' : String(value);
  // A leading =, +, - or @ makes spreadsheets run the cell as a formula: neutralize it.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
};

export const csvRow = (values: readonly unknown[]): string => `${values.map(field).join(',')}\r\n`;
