/** Plain-text layout for terminal output: thousands separators, aligned columns, key/value blocks. */

export const count = (n: number): string => n.toLocaleString('en-US');

/** NPS and interval bounds as the API rounds them (one decimal), with a real minus sign for negatives. */
export const points = (n: number | null | undefined): string => {
  if (n === null || n === undefined) return '–';
  const text = n.toFixed(1);
  return n < 0 ? `−${text.slice(1)}` : text;
};

export const signedPoints = (n: number): string => (n > 0 ? `+${points(n)}` : points(n));

const isNumeric = (cell: string) => /^[−+-]?[\d,.]+%?$/.test(cell) || cell === '–';

/** A table with a header row; numeric-looking cells are right-aligned. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = header.map((_, i) => rows.length > 0 && rows.every((r) => isNumeric(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (right[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
};

/** `key   value` lines with the values aligned; entries with an undefined value are left out. */
export const keyValues = (entries: readonly (readonly [string, string | undefined])[]): string => {
  const shown = entries.filter((e): e is readonly [string, string] => e[1] !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
};
