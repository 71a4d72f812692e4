import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importChunkKey } from '../../../cli/idempotency-key.ts';
import { checkFile, chunkKeys, FileRefused, skippedCsv, startTally, tallyChunk } from '../../../console/src/csv-upload.ts';

const file = (text: string) => new Blob([text], { type: 'text/csv' });

describe("the console's CSV check", () => {
  it('reads the header in any letter case, takes other columns as attributes, and names the lines of invalid rows', async () => {
    // GIVEN a file with a mixed-case header, a quoted comma, a blank row and a row with too many fields
    const text = 'EMAIL,Name,plan\r\nann@example.com,"Smith, Ann",pro\r\n\r\nbob@example.com,Bob,basic,extra\r\ncarl@example.com,Carl,\r\n';
    // WHEN it is checked
    const checked = await checkFile(file(text));
    // THEN two recipients are ready, with their lines, and the bad row is named with its line
    expect(checked.rows.map((r) => [r.line, r.recipient])).toEqual([
      [2, { email: 'ann@example.com', name: 'Smith, Ann', attributes: { plan: 'pro' } }],
      [5, { email: 'carl@example.com', name: 'Carl' }],
    ]);
    expect(checked.invalid).toEqual([{ line: 4, fields: ['bob@example.com', 'Bob', 'basic', 'extra'], reason: 'invalid_row', detail: '4 fields, but the header has 3' }]);
    expect(checked.digest).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('refuses a file it cannot read, saying where, before anything is sent', async () => {
    await expect(checkFile(file('email\n"never closed\n'))).rejects.toMatchObject({ problem: { kind: 'syntax', line: 2 } });
    await expect(checkFile(file('name,plan\nAnn,pro\n'))).rejects.toBeInstanceOf(FileRefused);
    await expect(checkFile(file(''))).rejects.toMatchObject({ problem: { kind: 'empty' } });
  });

  it('makes chunks of at most 1,000 rows with the very Idempotency-Keys the CLI uses for the same file', async () => {
    // GIVEN 2,500 rows
    const text = ['email', ...Array.from({ length: 2500 }, (_, i) => `p${i}@example.com`)].join('\n');
    const checked = await checkFile(file(text));
    // THEN three chunks of 1,000, 1,000 and 500, keyed as the CLI keys them
    expect(checked.chunks.map((c) => c.rows.length)).toEqual([1000, 1000, 500]);
    const keys = await chunkKeys('C1', checked);
    expect(keys).toEqual([0, 1, 2].map((i) => importChunkKey('C1', checked.digest, i)));
    // AND another campaign gets other keys
    expect((await chunkKeys('C2', checked))[0]).not.toBe(keys[0]);
  });

  it('tallies accepted and skipped rows by reason, keeps replays apart, and writes the skipped rows formula-safe', async () => {
    const checked = await checkFile(file('email,note\na@example.com,=HYPERLINK("x")\nb@example.com,ok\nc@example.com,x,y\n'));
    const chunk = checked.chunks[0]!;
    const tally = tallyChunk(startTally(checked), chunk, { accepted: 1, skipped: [{ index: 0, reason: 'opted_out' }] });
    expect(tally).toMatchObject({ done: 3, total: 3, accepted: 1, alreadyAdded: 0 });
    expect(Object.fromEntries(tally.skipped)).toEqual({ invalid_row: 1, opted_out: 1 });
    expect(tallyChunk(startTally(checked), chunk, { accepted: 2, skipped: [], replayed: true })).toMatchObject({ accepted: 0, alreadyAdded: 2 });
    expect(skippedCsv(checked, tally.skippedRows)).toBe(
      '"email","note","skip_reason","skip_line","skip_detail"\r\n' +
        '"a@example.com","\'=HYPERLINK(""x"")","opted_out","2",""\r\n' +
        '"c@example.com","x","invalid_row","4","3 fields, but the header has 2"\r\n',
    );
  });
});
