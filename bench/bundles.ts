import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { bundleFileName, bundling, repoRoot, runtimeProvidedModules } from '#infra/bundling';
import { type FunctionName, functions } from '#shared/contract/wiring';
import type { Figure } from './figures.ts';
import { placeholderHandlerEnvironment } from './handler-environment.ts';

/**
 * Bundle size and cold init time per Lambda. Each function is bundled with the options the
 * stack deploys (infra/bundling.ts), then imported in fresh Node processes: the import time is
 * what a cold start adds on top of the runtime's own bootstrap.
 *
 * One alternative is measured beside it, to keep the bundling decision honest: the same bundle
 * with the AWS SDK left to the runtime (it then loads from node_modules, as it would load from
 * the runtime's node_modules in Lambda).
 *
 * Import times on a shared machine drift from run to run, so each function's is also given as a
 * ratio to a baseline imported in the same rotation: a bare DynamoDBClient, bundled the same way
 * (bench/bare-dynamodb-client.ts), the least any function loads.
 *
 * Where each bundle's kilobytes come from is read from esbuild's metafile and printed as a second
 * table, so a change to the budget can be aimed (`esbuild.analyzeMetafile` gives it per file).
 */

// Inside node_modules so `@aws-sdk/*` resolves from the project and linters never see the output.
const outDir = path.join(repoRoot, 'node_modules', '.cache', 'npsloop-bench', 'bundles');
const runs = Number(process.env.BENCH_RUNS ?? 7);

export interface BundleFigures {
  readonly function: FunctionName;
  readonly rawKB: number;
  readonly gzipKB: number;
  /** Median import time with NODE_OPTIONS=--enable-source-maps, as deployed. */
  readonly initMs: number;
  /** The CPU time of the same imports (median). */
  readonly initCpuMs: number;
  /** The same without source maps, to show what they cost at init. */
  readonly initMsWithoutSourceMaps: number;
  /** The alternative: AWS SDK external (provided by the runtime). */
  readonly sdkExternal: { readonly rawKB: number; readonly initMs: number; readonly initCpuMs: number };
  /** The baseline, imported in the same rotation as this function: a bare DynamoDBClient, as deployed. */
  readonly bareClient: { readonly rawKB: number; readonly initMs: number; readonly initCpuMs: number };
  /** initMs / bareClient.initMs: how much more than a bare client this function's cold import costs. */
  readonly initRatio: number;
  /** The same in CPU time. */
  readonly initCpuRatio: number;
  /** KB of the minified bundle by origin (see `partOf`). */
  readonly parts: Readonly<Record<Part, number>>;
}

/** Where a bundle's bytes come from, coarse enough to compare functions at a glance. */
const parts = ['SDK core', 'SDK clients', 'zod', 'Powertools', 'phone', 'ours', 'other'] as const;
type Part = (typeof parts)[number];

/** The part an input file of the metafile belongs to. */
const partOf = (input: string): Part => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  if (pkg === undefined) return 'ours';
  // A client, with what only its service uses: the document client and its marshalling, DynamoDB's JSON codec.
  if (/^@aws-sdk\/(?:client-|lib-dynamodb$|util-dynamodb$|dynamodb-codec$)/.test(pkg)) return 'SDK clients';
  // What every client shares: @smithy/core, @aws-sdk/core, signing, HTTP, the credential chain, the endpoint cache.
  if (/^@(?:aws-sdk|smithy|aws)\//.test(pkg) || pkg === 'mnemonist' || pkg === 'obliterator') return 'SDK core';
  if (pkg === 'zod') return 'zod';
  if (pkg.startsWith('@aws-lambda-powertools/')) return 'Powertools';
  if (pkg === 'libphonenumber-js' || pkg === 'countries-and-timezones') return 'phone';
  return 'other';
};

const partsOf = (metafile: Metafile): Record<Part, number> => {
  const bytes = Object.fromEntries(parts.map((part) => [part, 0])) as Record<Part, number>;
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) bytes[partOf(input)] += bytesInOutput;
  }
  return Object.fromEntries(parts.map((part) => [part, kb(bytes[part])])) as Record<Part, number>;
};

const bareClientEntry = 'bench/bare-dynamodb-client.ts';

const bundle = async (name: FunctionName | 'bareClient', variant: 'deployed' | 'sdk-external'): Promise<{ outfile: string; metafile: Metafile }> => {
  const outfile = path.join(outDir, variant, name, bundleFileName);
  const entry = name === 'bareClient' ? bareClientEntry : functions[name].entry;
  const { metafile } = await build({
    absWorkingDir: repoRoot,
    entryPoints: [path.join(repoRoot, entry)],
    bundle: true,
    outfile,
    platform: bundling.platform,
    target: bundling.target,
    format: bundling.format,
    minify: bundling.minify,
    sourcemap: bundling.sourcemap,
    sourcesContent: bundling.sourcesContent,
    mainFields: [...bundling.mainFields],
    external: variant === 'deployed' ? [...bundling.external] : [...bundling.external, ...runtimeProvidedModules],
    banner: { js: bundling.banner },
    logLevel: bundling.logLevel,
    metafile: true,
  });
  return { outfile, metafile };
};

// Runs in the child: time only the import, not Node's own start-up. Wall time is what a cold start
// waits; CPU time is what it works, and moves far less when other processes share the cores.
const importTimer =
  'const t0 = performance.now(); const c0 = process.cpuUsage(); await import(process.env.BENCH_BUNDLE_URL); ' +
  'const c = process.cpuUsage(c0); process.stdout.write(`${performance.now() - t0} ${(c.user + c.system) / 1000}`);';

interface ImportTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** One cold import of the bundle in a fresh Node process (this Node: 24 under `npm run bench`). */
const importOnce = (bundleUrl: string, sourceMaps: boolean): Promise<ImportTime> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', importTimer], {
      // A clean environment: only what a Lambda would have, nothing from the caller's shell.
      env: {
        PATH: process.env.PATH ?? '',
        ...placeholderHandlerEnvironment(),
        BENCH_BUNDLE_URL: bundleUrl,
        ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const [wallMs, cpuMs] = out.split(' ').map(Number);
      if (code !== 0 || !Number.isFinite(wallMs) || !Number.isFinite(cpuMs)) reject(new Error(`import of ${bundleUrl} failed (exit ${code}): ${err.trim()}`));
      else resolve({ wallMs: wallMs!, cpuMs: cpuMs! });
    });
  });

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface ImportCase {
  readonly url: string;
  readonly sourceMaps: boolean;
}

/** Median import times of each case; cases alternate run by run, so shifting machine load hits all alike. */
const medianImports = async (cases: readonly ImportCase[]): Promise<ImportTime[]> => {
  const times = cases.map((): ImportTime[] => []);
  // Sequential on purpose: parallel children would compete for the same cores.
  for (let i = 0; i < runs; i++) {
    for (const [index, { url, sourceMaps }] of cases.entries()) times[index]!.push(await importOnce(url, sourceMaps));
  }
  return times.map((t) => ({ wallMs: median(t.map((x) => x.wallMs)), cpuMs: median(t.map((x) => x.cpuMs)) }));
};

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const round1 = (ms: number) => Math.round(ms * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export const benchBundles = async (): Promise<BundleFigures[]> => {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const figures: BundleFigures[] = [];
  const { outfile: bareClient } = await bundle('bareClient', 'deployed');
  const bareClientKB = kb((await readFile(bareClient)).length);
  for (const name of Object.keys(functions) as FunctionName[]) {
    const { outfile: deployed, metafile } = await bundle(name, 'deployed');
    const { outfile: sdkExternal } = await bundle(name, 'sdk-external');
    const code = await readFile(deployed);
    const [init, initWithoutSourceMaps, sdkExternalInit, bareClientInit] = await medianImports([
      { url: pathToFileURL(deployed).href, sourceMaps: true },
      { url: pathToFileURL(deployed).href, sourceMaps: false },
      { url: pathToFileURL(sdkExternal).href, sourceMaps: true },
      { url: pathToFileURL(bareClient).href, sourceMaps: true },
    ]);
    figures.push({
      function: name,
      rawKB: kb(code.length),
      gzipKB: kb(gzipSync(code, { level: 9 }).length),
      initMs: round1(init!.wallMs),
      initCpuMs: round1(init!.cpuMs),
      initMsWithoutSourceMaps: round1(initWithoutSourceMaps!.wallMs),
      sdkExternal: { rawKB: kb((await readFile(sdkExternal)).length), initMs: round1(sdkExternalInit!.wallMs), initCpuMs: round1(sdkExternalInit!.cpuMs) },
      bareClient: { rawKB: bareClientKB, initMs: round1(bareClientInit!.wallMs), initCpuMs: round1(bareClientInit!.cpuMs) },
      initRatio: ratio(init!.wallMs, bareClientInit!.wallMs),
      initCpuRatio: ratio(init!.cpuMs, bareClientInit!.cpuMs),
      parts: partsOf(metafile),
    });
  }
  return figures;
};

/** The figures, one per line when printed (for scripts and the README). */
export const bundleFigures = (measured: readonly BundleFigures[]): Figure[] => [
  { name: 'bare DynamoDBClient bundle size', value: measured[0]?.bareClient.rawKB ?? 0, unit: 'KB' },
  ...measured.flatMap((f) => [
    { name: `${f.function} bundle size`, value: f.rawKB, unit: 'KB' },
    { name: `${f.function} bundle size gzipped`, value: f.gzipKB, unit: 'KB' },
    { name: `${f.function} cold import p50 (as deployed)`, value: f.initMs, unit: 'ms' },
    { name: `${f.function} cold import p50 (no source maps)`, value: f.initMsWithoutSourceMaps, unit: 'ms' },
    { name: `${f.function} cold import CPU p50 (as deployed)`, value: f.initCpuMs, unit: 'ms' },
    { name: `${f.function} bare DynamoDBClient cold import p50 (same rotation)`, value: f.bareClient.initMs, unit: 'ms' },
    { name: `${f.function} bare DynamoDBClient cold import CPU p50 (same rotation)`, value: f.bareClient.initCpuMs, unit: 'ms' },
    { name: `${f.function} cold import / bare DynamoDBClient`, value: f.initRatio, unit: 'x' },
    { name: `${f.function} cold import CPU / bare DynamoDBClient`, value: f.initCpuRatio, unit: 'x' },
    { name: `${f.function} bundle size (SDK left to the runtime)`, value: f.sdkExternal.rawKB, unit: 'KB' },
    { name: `${f.function} cold import p50 (SDK left to the runtime)`, value: f.sdkExternal.initMs, unit: 'ms' },
    { name: `${f.function} cold import CPU p50 (SDK left to the runtime)`, value: f.sdkExternal.initCpuMs, unit: 'ms' },
    ...parts.map((part) => ({ name: `${f.function} bundle size from ${part}`, value: f.parts[part], unit: 'KB' })),
  ]),
];

/** The same figures as a table, for people. */
export const bundleTable = (measured: readonly BundleFigures[]): string => {
  const header = ['function', 'KB', 'gzip KB', `import ms (p50 of ${runs})`, 'bare client', '× bare', 'CPU ms', 'bare CPU', '× bare', 'no source maps', 'SDK external: KB', 'import ms', 'CPU ms'];
  const rows = measured.map((f) =>
    [
      f.function,
      f.rawKB,
      f.gzipKB,
      f.initMs,
      f.bareClient.initMs,
      f.initRatio.toFixed(2),
      f.initCpuMs,
      f.bareClient.initCpuMs,
      f.initCpuRatio.toFixed(2),
      f.initMsWithoutSourceMaps,
      f.sdkExternal.rawKB,
      f.sdkExternal.initMs,
      f.sdkExternal.initCpuMs,
    ].map(String),
  );
  const bare = measured[0]?.bareClient.rawKB;
  const partRows = measured.map((f) => [f.function, ...parts.map((part) => f.parts[part].toFixed(1)), f.rawKB.toFixed(1)]);
  return [
    ...aligned(header, rows),
    `bare DynamoDBClient bundled as deployed: ${bare} KB`,
    '',
    'where the KB go (minified, as deployed):',
    ...aligned(['function', ...parts, 'total'], partRows),
  ].join('\n');
};

const aligned = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
};
