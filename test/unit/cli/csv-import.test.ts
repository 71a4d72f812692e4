import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../cli/api-client.ts';
import type { AddRecipientsResult } from '#shared/contract/recipients';
import { importRecipients, ImportStopped } from '../../../cli/csv-import.ts';
import { csvRecords } from '../../../cli/csv-records.ts';
import type { Progress } from '../../../cli/progress.ts';
import type { RecipientInput } from '#shared/contract/recipients';

interface Call {
  readonly recipients: readonly RecipientInput[];
  readonly key: string;
}

/** A stand-in for POST /recipients that screens like the API does: no @ is invalid, a repeated address a duplicate. */
const fakeApi = (options: { failOnCall?: number } = {}) => {
  const calls: Call[] = [];
  const seen = new Set<string>();
  return {
    calls,
    addRecipients: async (_campaignId: string, recipients: readonly RecipientInput[], key: string): Promise<AddRecipientsResult> => {
      calls.push({ recipients, key });
      if (options.failOnCall === calls.length) throw new ApiError(400, 'validation_failed', 'recipients.0: nope (HTTP 400 validation_failed)');
      const skipped: AddRecipientsResult['skipped'] = [];
      let accepted = 0;
      recipients.forEach((r, index) => {
        const email = r.email?.toLowerCase();
        if (!email?.includes('@')) skipped.push({ index, reason: 'invalid_email' });
        else if (seen.has(email)) skipped.push({ index, reason: 'duplicate' });
        else {
          seen.add(email);
          accepted++;
        }
      });
      return { accepted, skipped };
    },
  };
};

const silent: Progress = { sending: () => undefined, update: () => undefined, note: () => undefined, done: () => undefined };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npsloop-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = async (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
};

const recordsOf = async (path: string) => {
  const out: string[][] = [];
  for await (const r of csvRecords([await readFile(path, 'utf8')])) out.push(r.fields);
  return out;
};

describe('importRecipients', () => {
  it('sends every row, sums the answers and reports each skip with its CSV line and reason', async () => {
    // GIVEN 2,500 rows with a bad address on line 3, a multi-line name (no line breaks in names), a duplicate across requests and a bad locale
    const lines = ['\uFEFFEmail,Name,Locale,plan'];
    for (let i = 0; i < 2_500; i++) lines.push(`u${i}@example.com,User ${i},en,${i % 2 ? 'pro' : 'free'}`);
    lines[2] = 'not-an-email,"Bad, Address",en,pro';
    lines[10] = 'u8@example.com,"Two\r\nLines",en,pro'; // line 11 names the CSV line; the record spans 11–12
    lines[1500] = 'U0@EXAMPLE.COM,Again,en,pro';
    lines[2000] = 'z@example.com,Zed,fr,pro';
    const path = await file('people.csv', `${lines.join('\r\n')}\r\n`);
    const api = fakeApi();
    const skippedOut = join(dir, 'skipped.csv');

    // WHEN it is imported
    const summary = await importRecipients({ campaignId: 'C1', csvPath: path, skippedOut, api, progress: silent });

    // THEN three requests went out (1000, 1000, 498: the multi-line name and the bad locale were held back)
    expect(api.calls.map((c) => c.recipients.length)).toEqual([1000, 1000, 498]);
    expect(api.calls[0]?.recipients[0]).toEqual({ email: 'u0@example.com', name: 'User 0', locale: 'en', attributes: { plan: 'free' } });
    expect(summary).toMatchObject({ rows: 2_500, accepted: 2_496, requests: 3, skipped: { duplicate: 1, invalid_email: 1, invalid_row: 2 } });
    // AND the report lists each skipped row with its reason and the line it starts on
    const report = await recordsOf(skippedOut);
    expect(report[0]).toEqual(['Email', 'Name', 'Locale', 'plan', 'skip_reason', 'skip_line', 'skip_detail']);
    expect(report.slice(1).map((r) => [r[0], r[4], r[5], r[6]])).toEqual([
      ['not-an-email', 'invalid_email', '3', ''],
      ['u8@example.com', 'invalid_row', '11', 'name: must not contain line breaks or control characters'],
      ['U0@EXAMPLE.COM', 'duplicate', '1502', 'same address as line 2'],
      ['z@example.com', 'invalid_row', '2002', expect.stringMatching(/^locale: /)],
    ]);
    expect(report[2]?.[1]).toBe('Two\r\nLines');
  });

  it('names the earlier line a duplicate repeats, or says it is already in the campaign from an earlier import', async () => {
    // GIVEN a campaign that an earlier import gave ann@example.com
    const api = fakeApi();
    await importRecipients({ campaignId: 'C1', csvPath: await file('first.csv', 'email\nann@example.com\n'), api, progress: silent });
    // AND a file that repeats her, and repeats one of its own rows (written differently) twice
    const path = await file('second.csv', 'email\n ANN@example.com\nbob@example.com\ncat@example.com\nBob@Example.COM \nBOB@example.com\n');
    const skippedOut = join(dir, 'skipped.csv');

    // WHEN it is imported
    const summary = await importRecipients({ campaignId: 'C1', csvPath: path, skippedOut, api, progress: silent });

    // THEN each duplicate says why, in the report and in the summary
    const report = await recordsOf(skippedOut);
    expect(report.slice(1).map((r) => [r[1], r[2], r[3]])).toEqual([
      ['duplicate', '2', 'already in the campaign'],
      ['duplicate', '5', 'same address as line 3'],
      ['duplicate', '6', 'same address as line 3'],
    ]);
    expect(summary.duplicates).toEqual({
      sameAsEarlierLine: 2,
      alreadyInCampaign: 1,
      examples: [
        { line: 5, sameAs: 3 },
        { line: 6, sameAs: 3 },
      ],
    });
  });

  it('sends the same idempotency keys when the same file is imported again', async () => {
    const path = await file('a.csv', `email\n${Array.from({ length: 1_200 }, (_, i) => `a${i}@example.com`).join('\n')}\n`);
    const first = fakeApi();
    const second = fakeApi();
    await importRecipients({ campaignId: 'C1', csvPath: path, api: first, progress: silent });
    await importRecipients({ campaignId: 'C1', csvPath: path, api: second, progress: silent });
    expect(second.calls.map((c) => c.key)).toEqual(first.calls.map((c) => c.key));
    expect(new Set(first.calls.map((c) => c.key)).size).toBe(2);
  });

  it('stops at the first refused request, saying where, and keeps the report of what came before', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => (i === 5 ? 'bad,' : i === 7 ? 'b7@example.com,fr' : `b${i}@example.com,`));
    const path = await file('b.csv', `email,locale\n${rows.join('\n')}\n`);
    const skippedOut = join(dir, 'skipped.csv');
    const api = fakeApi({ failOnCall: 2 });
    const stopped = importRecipients({ campaignId: 'C1', csvPath: path, skippedOut, api, progress: silent });
    await expect(stopped).rejects.toThrow(ImportStopped);
    await expect(stopped).rejects.toThrow(/^recipients\.0: nope \(HTTP 400 validation_failed\); stopped at line 1003 with 999 recipients accepted/);
    expect(api.calls).toHaveLength(2);
    expect((await recordsOf(skippedOut)).slice(1).map((r) => [r[0], r[2]?.split(':')[0], r[3]])).toEqual([
      ['bad', 'invalid_email', '7'],
      ['b7@example.com', 'invalid_row', '9'],
    ]);
  });

  it('checks the whole file before sending anything, so a broken file sends nothing', async () => {
    const path = await file('c.csv', `email,name\n${Array.from({ length: 1_500 }, (_, i) => `c${i}@example.com,C`).join('\n')}\nd@example.com,"never closed\n`);
    const api = fakeApi();
    await expect(importRecipients({ campaignId: 'C1', csvPath: path, api, progress: silent })).rejects.toThrow(/line 1502: a quoted field is not closed/);
    expect(api.calls).toHaveLength(0);
  });

  it('refuses a file that is not UTF-8, a bad header, and an empty file, before sending anything', async () => {
    const api = fakeApi();
    const latin1 = await file('d.csv', Buffer.from('email,name\nd@example.com,Ren\xe9\n', 'latin1'));
    await expect(importRecipients({ campaignId: 'C1', csvPath: latin1, api, progress: silent })).rejects.toThrow(/is not UTF-8 text/);
    const header = await file('e.csv', 'name,plan\nAnn,pro\n');
    await expect(importRecipients({ campaignId: 'C1', csvPath: header, api, progress: silent })).rejects.toThrow(/e\.csv: the header needs an email or a phone column/);
    const empty = await file('f.csv', '');
    await expect(importRecipients({ campaignId: 'C1', csvPath: empty, api, progress: silent })).rejects.toThrow(/f\.csv is empty/);
    expect(api.calls).toHaveLength(0);
  });

  it('tells the progress each request before it is sent and where the import stands after each answer, ending at every row', async () => {
    const path = await file('g.csv', `email\n${Array.from({ length: 2_100 }, (_, i) => `g${i}@example.com`).join('\n')}\n`);
    const events: string[] = [];
    await importRecipients({
      campaignId: 'C1',
      csvPath: path,
      api: fakeApi(),
      progress: { ...silent, sending: (n) => events.push(`sending ${n}`), update: (s) => events.push(`${s.rows} of ${s.total}`) },
    });
    expect(events).toEqual(['0 of 2100', 'sending 1000', '1000 of 2100', 'sending 1000', '2000 of 2100', 'sending 100', '2100 of 2100', '2100 of 2100']);
  });
});
