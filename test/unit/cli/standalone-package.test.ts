import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packCli } from '../../../cli/standalone-package.ts';

const run = promisify(execFile);
const scratch = await mkdtemp(join(tmpdir(), 'npsloop-cli-test-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

// The README's way for a marketer: `npm run pack:cli` in the clone, then `npm install -g` of the
// tarball on their own machine. Done here for real, offline, into a prefix of its own.
describe('the CLI packed for a marketer', () => {
  it('installs from its tarball offline and runs from another folder, without the clone', { timeout: 60_000 }, async () => {
    // GIVEN the packed CLI
    const tarball = await packCli(scratch);
    expect(tarball).toMatch(/npsloop-cli-\d+\.\d+\.\d+\.tgz$/);
    // WHEN it is installed globally into a fresh prefix, with no network, from an unrelated folder
    const prefix = join(scratch, 'prefix');
    const elsewhere = join(scratch, 'somewhere-else');
    await mkdir(elsewhere);
    await run('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { cwd: elsewhere });
    // THEN its `npsloop` prints the usage, on the machine's Node, far from the repository's node_modules
    const machinePath = (process.env.PATH ?? '').split(':').filter((dir) => !dir.includes('node_modules')).join(':');
    const { stdout } = await run(join(prefix, 'bin', 'npsloop'), ['--help'], { cwd: elsewhere, env: { PATH: machinePath } });
    expect(stdout).toMatch(/^Usage: npsloop COMMAND \[options\]/);
    expect(stdout).toContain('recipients add');
    // AND it brought nothing else with it: the bundle is the whole program
    const { stdout: listed } = await run('npm', ['ls', '--global', '--prefix', prefix, '--all', '--parseable'], { cwd: elsewhere });
    expect(listed.trim().split('\n').filter((line) => line.includes('node_modules'))).toEqual([join(prefix, 'lib', 'node_modules', 'npsloop-cli')]);
  });
});
