import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvRecords, CsvSyntaxError, type CsvRecord } from '../../../cli/csv-records.ts';
import { csvLine } from '../../../cli/skipped-report.ts';

const read = async (...pieces: string[]): Promise<CsvRecord[]> => {
  const records: CsvRecord[] = [];
  for await (const record of csvRecords(pieces)) records.push(record);
  return records;
};

describe('csvRecords', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers records by their first line', async () => {
    // GIVEN a record whose quoted name spans two lines
    const text = 'email,name,plan\na@x.com,"Ann, ""the"" first\nof her name",pro\nb@x.com,Bob,free\n';
    // WHEN it is read
    const records = await read(text);
    // THEN the fields are unquoted and each record knows the line it starts on
    expect(records).toEqual([
      { fields: ['email', 'name', 'plan'], line: 1 },
      { fields: ['a@x.com', 'Ann, "the" first\nof her name', 'pro'], line: 2 },
      { fields: ['b@x.com', 'Bob', 'free'], line: 4 },
    ]);
  });

  it('drops a UTF-8 BOM and accepts CRLF, LF and CR line ends', async () => {
    const records = await read('\uFEFFemail,name\r\na@x.com,Ann\rb@x.com,Bob\nc@x.com,Cat');
    expect(records).toEqual([
      { fields: ['email', 'name'], line: 1 },
      { fields: ['a@x.com', 'Ann'], line: 2 },
      { fields: ['b@x.com', 'Bob'], line: 3 },
      { fields: ['c@x.com', 'Cat'], line: 4 },
    ]);
  });

  it('counts a CRLF inside a quoted field as one line', async () => {
    const records = await read('"a\r\nb",x\r\nnext,y\r\n');
    expect(records).toEqual([
      { fields: ['a\r\nb', 'x'], line: 1 },
      { fields: ['next', 'y'], line: 3 },
    ]);
  });

  it('skips blank lines but keeps counting them', async () => {
    const records = await read('email\n\na@x.com\r\n\r\nb@x.com\n');
    expect(records.map((r) => r.line)).toEqual([1, 3, 5]);
  });

  it('keeps empty fields, a trailing one included', async () => {
    expect(await read('a,,c,\n')).toEqual([{ fields: ['a', '', 'c', ''], line: 1 }]);
  });

  it('keeps a quote inside an unquoted field as text, as spreadsheets write it', async () => {
    expect(await read('27" screen,b\n')).toEqual([{ fields: ['27" screen', 'b'], line: 1 }]);
  });

  it('reads the same records however the text is split into pieces (a CRLF, a quote pair, the BOM)', async () => {
    const text = '\uFEFFemail,name\r\n"a@x.com","Ann ""A""\r\nSmith"\r\nb@x.com,Bob\r\n';
    const whole = await read(text);
    for (let cut = 1; cut < text.length; cut++) {
      expect(await read(text.slice(0, cut), text.slice(cut)), `cut at ${cut}`).toEqual(whole);
    }
    expect(await read(...text)).toEqual(whole);
  });

  it('refuses a quote that is never closed, naming the line the record starts on', async () => {
    await expect(read('email,name\na@x.com,"Ann\nb@x.com,Bob\n')).rejects.toThrow(new CsvSyntaxError(2, { kind: 'unclosed_quote' }));
    await expect(read('email,name\na@x.com,"Ann\nb@x.com,Bob\n')).rejects.toThrow('line 2: a quoted field is not closed');
  });

  it('stops at an absurdly long field instead of reading the rest of the file into it', async () => {
    const csv = csvRecords([`a,"${'x'.repeat(50)}`, 'y'.repeat(50)], 64);
    await expect(csv.next()).rejects.toThrow(/line 1: a field is longer than 64 characters/);
  });

  it('reads back whatever the skipped-rows writer writes, split anywhere', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'é', ' ', ',', '"', '\n', '\r', 'z'), maxLength: 6 });
    const records = fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(records, fc.nat(), async (rows, at) => {
        // Two fields or more: even an all-empty row is a comma, not a blank line.
        const text = rows.map(csvLine).join('');
        const cut = text.length === 0 ? 0 : at % text.length;
        const got = await read(text.slice(0, cut), text.slice(cut));
        expect(got.map((r) => r.fields)).toEqual(rows);
      }),
    );
  });
});
