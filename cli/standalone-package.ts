/**
 * `npm run pack:cli`: the CLI as a package a marketer installs anywhere, without the clone.
 *
 * The repository's own package is private and runs the CLI's TypeScript through tsx, with the
 * whole pipeline's dependencies (AWS SDK, CDK, …) beside it. This one is a single JavaScript
 * file bundled by esbuild, with no dependencies, so `npm install -g ./npsloop-cli-<version>.tgz`
 * works offline on any Node 20 or later and installs in a second.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

const entry = `import process from 'node:process';
import { main } from './cli/main.ts';
process.exitCode = await main(process.argv.slice(2));
`;

// An ES module bundle has no `require`; a bundled CommonJS dependency that asks for a Node
// built-in gets one.
const banner = `#!/usr/bin/env node
import { createRequire as npsloopRequire } from 'node:module';
const require = npsloopRequire(import.meta.url);`;

/** Builds the package in a temporary folder and packs it into `destination`; returns the tarball's path. */
export const packCli = async (destination: string): Promise<string> => {
  const project = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string; license: string };
  const dir = await mkdtemp(join(tmpdir(), 'npsloop-cli-'));
  try {
    await build({
      stdin: { contents: entry, resolveDir: root, sourcefile: 'npsloop.ts', loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: join(dir, 'npsloop.js'),
      banner: { js: banner },
      legalComments: 'none',
      logLevel: 'warning',
    });
    const manifest = {
      name: 'npsloop-cli',
      version: project.version,
      description: 'The npsloop marketing CLI: campaigns, CSV recipient imports and scores over the npsloop admin API.',
      license: project.license,
      type: 'module',
      bin: { npsloop: 'npsloop.js' },
      files: ['npsloop.js'],
      engines: { node: '>=20' },
    };
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const out = resolve(destination);
    const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1);
    if (!name) throw new Error('npm pack named no tarball');
    return join(out, name);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tarball = await packCli(process.argv[2] ?? process.cwd());
  process.stdout.write(`${tarball}\nInstall it anywhere with: npm install -g ${tarball}\n`);
}
