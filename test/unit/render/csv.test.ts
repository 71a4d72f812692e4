import { describe, expect, it } from 'vitest';
import { csvRow } from '#shared/render/csv';

describe('csvRow', () => {
  it('quotes every field, doubles quotes and ends with CRLF', () => {
    expect(csvRow(['a', 'b "c", d', 3, undefined])).toBe('"a","b ""c"", d","3",""\r\n');
  });

  it('keeps newlines and UTF-8 inside quotes', () => {
    expect(csvRow(['line 1\nline 2', 'девять'])).toBe('"line 1\nline 2","девять"\r\n');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)'])('neutralizes the spreadsheet formula %j', (value) => {
    expect(csvRow([value])).toBe(`"'${value}"\r\n`);
  });
});
