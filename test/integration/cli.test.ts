import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as z from 'zod';
import { adminApi } from '#shared/contract/api';
import { csvRecords } from '../../cli/csv-records.ts';
import { api, eventually } from '#test/integration/client';

/**
 * The real `npsloop` bin, as a child process, against the local runtime: what marketing runs.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/npsloop.js on this Node (the project's Node 24 under npm and npx) with the runtime's URL and key. */
const npsloop = (...args: string[]): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/npsloop.js', ...args], {
      cwd: repoRoot,
      env: { ...process.env, NPSLOOP_API_URL: inject('baseUrl'), NPSLOOP_API_KEY: inject('apiKey'), NPSLOOP_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

const json = <T>(run: Run): T => {
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout) as T;
};

/** What `--json` printed of an API answer, parsed with the contract's schema of that route. */
const answer = <S extends z.ZodType>(schema: S, run: Run): z.output<S> => schema.parse(json<unknown>(run));

interface Expected {
  readonly csv: string;
  readonly accepted: number;
  readonly skipped: Record<string, number>;
  /** Every skipped row as the --skipped-out file should list it: address, reason, line, and for a duplicate the line it repeats. */
  readonly skippedRows: [string, string, string, string][];
  readonly duplicatesOfEarlierLines: number;
}

/**
 * 10,000 rows (BOM, CRLF, quoted names with commas, one spanning two lines, plan and region
 * columns, two rows the API would refuse: a bad locale and that two-line name). About one row
 * in nine is a new address; the rest are bad addresses and repeats, in the same request or an
 * earlier one. That is because the local
 * DynamoDB writes only 50–100 invitations a second: 10,000 new ones take about two minutes
 * (measured), 1,100 take well under half a minute. The expected outcome is worked out row by
 * row the way the API screens: an address is normalized (trimmed, lower-cased), the first
 * occurrence wins, and later ones are duplicates.
 */
const recipientsCsv = (rows: number): Expected => {
  const tag = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const lines = ['\uFEFFEmail,Name,Locale,plan,region'];
  const firstLine = new Map<string, number>();
  const skippedRows: [string, string, string, string][] = [];
  const skipped: Record<string, number> = {};
  let accepted = 0;
  let line = 2;
  for (let i = 0; i < rows; i++) {
    const u = Math.floor(i / 10);
    const email = [
      `ann${u}.${tag}@example.com`, // new
      `ANN${u}.${tag}@Example.COM`, // a repeat in the same request
      `ann${u - 120}.${tag}@example.com`, // a repeat from 1,200 rows up, an earlier request (new while u < 120)
      `ann${u}.${tag}-at-example.com`,
      `ann${u}.${tag}@`,
      `ann${u - 1}.${tag}@example.com`,
      `Ann${u}.${tag}@example.com`,
      'not an email',
      `ann${u}.${tag}@example.com`,
      `ann${u}@${tag}`,
    ][i % 10] as string;
    const name = i === 7 ? '"Cat\r\nSecond line"' : `"Ann ${i}, Jr"`;
    const locale = i === 4_242 ? 'fr' : 'en';
    lines.push(`${email},${name},${locale},${['free', 'pro', 'team'][i % 3]},${['eu', 'us'][i % 2]}`);
    const reason = (() => {
      // A bad locale and a name on two lines (names are one line) are refused by the API's own schema.
      if (locale === 'fr' || name.includes('\n')) return 'invalid_row';
      const normalized = email.toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(normalized)) return 'invalid_email';
      if (firstLine.has(normalized)) return 'duplicate';
      firstLine.set(normalized, line);
      return undefined;
    })();
    if (reason) {
      const detail = reason === 'duplicate' ? `same address as line ${firstLine.get(email.toLowerCase())}` : '';
      skippedRows.push([email, reason, String(line), reason === 'invalid_row' ? '' : detail]);
      skipped[reason] = (skipped[reason] ?? 0) + 1;
    } else accepted++;
    line += 1 + (name.match(/\n/g)?.length ?? 0);
  }
  return { csv: `${lines.join('\r\n')}\r\n`, accepted, skipped, skippedRows, duplicatesOfEarlierLines: skipped.duplicate ?? 0 };
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npsloop-cli-it-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the npsloop CLI', () => {
  it('imports a 10,000-row CSV into a held campaign, accounts for every skipped row, and replays a re-run', { timeout: 120_000 }, async () => {
    // GIVEN a campaign held for an hour, so its invitations stay out of the outbox other tests read
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const campaign = answer(
      adminApi['POST /v1/campaigns'].answer,
      await npsloop('campaign', 'create', '--name', 'CLI import', '--brand', 'Acme', '--segments', 'plan,region', '--send-at', sendAt, '--json'),
    );
    expect(campaign).toMatchObject({ sendAt, segments: ['plan', 'region'] });
    // AND a CSV of 10,000 rows with bad addresses, repeats and one row the API would refuse
    const expected = recipientsCsv(10_000);
    const csv = join(dir, 'people.csv');
    await writeFile(csv, expected.csv);
    const skippedOut = join(dir, 'skipped.csv');

    // WHEN marketing imports it
    const started = performance.now();
    const imported = await npsloop('recipients', 'add', campaign.id, '--csv', csv, '--skipped-out', skippedOut, '--json');
    const seconds = (performance.now() - started) / 1000;

    // THEN the summary adds up, in 10 requests
    const summary = json<{ rows: number; accepted: number; skipped: Record<string, number>; requests: number; duplicates: unknown }>(imported);
    expect(summary).toMatchObject({ rows: 10_000, accepted: expected.accepted, skipped: expected.skipped, requests: 10 });
    expect(expected.skipped).toMatchObject({ duplicate: expect.any(Number), invalid_email: expect.any(Number), invalid_row: 2 });
    // AND a log (not a terminal) got plain progress lines, at most one per request, with the rate and the time left
    expect(imported.stderr).toMatch(/^progress: \d+% of the file, [\d,]+ of 10,000 rows · [\d.]+ s · [\d,]+ rows\/s · about [\w ]+ left · [\d,]+ accepted · [\d,]+ skipped$/m);
    expect(imported.stderr.match(/^progress: /gm)?.length).toBeLessThanOrEqual(summary.requests + 1);
    // AND every duplicate names the earlier line of the file it repeats
    expect(summary.duplicates).toMatchObject({ sameAsEarlierLine: expected.duplicatesOfEarlierLines, alreadyInCampaign: 0 });
    // AND the skipped-rows file names every skipped row with its reason and CSV line, in file order
    const report: string[][] = [];
    for await (const record of csvRecords([await readFile(skippedOut, 'utf8')])) report.push(record.fields);
    expect(report[0]).toEqual(['Email', 'Name', 'Locale', 'plan', 'region', 'skip_reason', 'skip_line', 'skip_detail']);
    expect(report.slice(1).map((r) => [r[0], r[5], r[6], r[5] === 'invalid_row' ? '' : r[7]])).toEqual(expected.skippedRows);

    // AND the campaign shows the same numbers, held rather than sent (the stream counts them within moments)
    await eventually(async () => ((await api('GET /v1/campaigns/{id}', { params: { id: campaign.id } })).body.counts.recipients === expected.accepted ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the imported recipients counted',
    });
    const shown = answer(adminApi['GET /v1/campaigns/{id}'].answer, await npsloop('campaign', 'show', campaign.id, '--json'));
    const { invalid_row: _notSent, ...sentSkips } = expected.skipped;
    expect(shown.counts).toMatchObject({ recipients: expected.accepted, sent: 0, skipped: sentSkips });
    const human = await npsloop('campaign', 'show', campaign.id);
    expect(human.stdout).toMatch(new RegExp(`^recipients\\s+${expected.accepted.toLocaleString('en-US')}$`, 'm'));

    // WHEN the same import runs again (as after a crash)
    const again = json<typeof summary>(await npsloop('recipients', 'add', campaign.id, '--csv', csv, '--json'));

    // THEN the server replays each request by its Idempotency-Key: nobody added twice, and the
    // summary says these rows were already imported instead of accepting them again
    expect(again).toMatchObject({ rows: 10_000, accepted: 0, alreadyImported: expected.accepted, skipped: expected.skipped });
    const after = answer(adminApi['GET /v1/campaigns/{id}'].answer, await npsloop('campaign', 'show', campaign.id, '--json'));
    expect(after.counts).toEqual(shown.counts);
    console.info(`npsloop recipients add: 10,000 rows (${expected.accepted} new) in ${seconds.toFixed(1)} s`);
  });

  it('lists the campaigns and reads a score with no responses yet', async () => {
    const { id } = answer(adminApi['POST /v1/campaigns'].answer, await npsloop('campaign', 'create', '--name', 'CLI list', '--brand', 'Acme', '--json'));
    const list = await npsloop('campaign', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\s+email\\s+CLI list\\s+Acme$`, 'm'));
    const score = await npsloop('score', id);
    expect(score).toMatchObject({ code: 0, stdout: 'No responses yet.\n' });
    expect(answer(adminApi['GET /v1/campaigns/{id}/score'].answer, await npsloop('score', id, '--json'))).toMatchObject({ campaignId: id, responses: 0 });
  });

  it('fails with the API message on one line and exit code 1 for an unknown campaign', async () => {
    const run = await npsloop('campaign', 'show', 'no-such-campaign');
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^npsloop: .*not found \(HTTP 404 not_found\)\n$/);
  });

  it('refuses a bad command line with exit code 2 before calling the API', async () => {
    const run = await npsloop('campaign', 'create', '--brand', 'Acme');
    expect(run).toMatchObject({ code: 2, stderr: 'npsloop: --name is required (see npsloop campaign create --help)\n' });
  });
});
