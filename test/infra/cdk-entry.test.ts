import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/bundling';
import { deployContext } from './synth.ts';

/**
 * infra/app.ts run the way the CDK CLI runs it (`cdk synth -q`, `cdk deploy`): a child process
 * with the context in CDK_CONTEXT_JSON that writes the assembly to CDK_OUTDIR. What it prints is
 * what the user sees.
 */
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const runCdkApp = (context: Record<string, unknown>) => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'npsloop-cdk-entry-'));
  outdirs.push(outdir);
  return spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: repoRoot,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
    encoding: 'utf8',
  });
};

describe('the CDK entry, run as the CLI runs it', () => {
  it('synthesizes quietly: nothing from esbuild, only CDK\'s own line per bundled function', () => {
    // GIVEN cdk.json's context and a sender, WHEN the app is synthesized with bundling
    const run = runCdkApp(deployContext);
    // THEN
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^Bundling asset NpsloopStack\/\w+\/Code\/Stage\.\.\.$/);
  }, 120_000);

  it.each([
    ['an http publicBaseUrl', { ...deployContext, publicBaseUrl: 'http://surveys.acme.example' }, /publicBaseUrl: must be an https URL/],
    ['no sender', { ...deployContext, senderEmail: undefined }, /no sender: add -c senderDomain=/],
    ['a log retention CloudWatch does not offer', { ...deployContext, logRetentionDays: 31 }, /logRetentionDays/],
  ])('ends the synth on %s with one line that names the setting, and no stack trace', (_, context, message) => {
    // WHEN
    const run = runCdkApp(context);
    // THEN
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npsloop: Invalid npsloop context: /);
    expect(lines[0]).toMatch(message);
  });
});
