import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '#infra/bundling';
import { benchBundles, bundleFigures, bundleTable } from './bundles.ts';
import { type Figure, printFigure } from './figures.ts';

/**
 * `npm run bench [-- name…]`: runs the named benchmarks (all by default), prints each figure on
 * its own line (then a table where one helps) and keeps the figures as JSON in bench/results/
 * (git-ignored) for the README. Benchmarks measure; they never pass or fail — tests do that.
 *
 * With several benchmarks, each runs in a process of its own, as each Lambda has its own: the
 * handlers' SDK clients are module-scoped and keep the endpoints of the first local runtime
 * they met, so a second runtime in the same process would be unreachable to them.
 */

// Handlers log as they would in Lambda; here only the figures are wanted.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

interface Benchmark {
  readonly description: string;
  run(): Promise<{ readonly figures: readonly Figure[]; readonly table?: string }>;
}

const benchmarks: Record<string, Benchmark> = {
  scores: {
    description: 'write units per counted response (exactly-once vs naive ADD), hottest item, handler CPU, answer→score and detractor→alert latency',
    run: async () => {
      // The runtime points this process's env at the local services, so it starts first.
      const { startRuntime } = await import('#local/runtime');
      const { scoreBenchmarks } = await import('./scores.ts');
      const runtime = await startRuntime({ port: 0, quiet: true });
      try {
        const figures = await scoreBenchmarks(runtime);
        return { figures };
      } finally {
        await runtime.stop();
      }
    },
  },
  cost: {
    description: 'modelled AWS cost per 1,000 e-mail invitations, from every call the local pipeline makes',
    run: async () => {
      const { startRuntime } = await import('#local/runtime');
      const { importHandlerFromEntry } = await import('#local/lambda/local-function');
      const { costBenchmark, countingLoader } = await import('./cost.ts');
      const runtime = await startRuntime({ port: 0, quiet: true, loadHandler: countingLoader(importHandlerFromEntry) });
      try {
        return { figures: await costBenchmark(runtime) };
      } finally {
        await runtime.stop();
      }
    },
  },
  dispatch: {
    description: 'queued invitations sent per second through the pipeline, against the raw SES emulator ceiling',
    run: async () => {
      // Lift the configured send rate so the pipeline's own overhead is what is measured.
      process.env.EMAIL_SEND_RATE = '100000';
      const { startRuntime } = await import('#local/runtime');
      const { functions } = await import('#shared/contract/wiring');
      const { dispatchBenchmark } = await import('./dispatch.ts');
      const source = functions.sendInvitation.source;
      const concurrency = source.kind === 'queue' ? (source.maxConcurrency ?? 1) : 1;
      const runtime = await startRuntime({ port: 0, quiet: true });
      try {
        return { figures: await dispatchBenchmark(runtime, concurrency) };
      } finally {
        await runtime.stop();
        delete process.env.EMAIL_SEND_RATE;
      }
    },
  },
  console: {
    description: "the managers' console: gzipped size of each file and of its JavaScript against the 150 KB budget, and the build time",
    run: async () => {
      const { consoleBenchmark } = await import('./console.ts');
      return consoleBenchmark();
    },
  },
  themes: {
    description: 'tagging accuracy on the labelled comments (precision, recall, F1 per theme and language), the tagger in a bundle, and the re-tag of stored comments after a theme change (time, write units)',
    run: async () => {
      const { themeBenchmark } = await import('./themes.ts');
      const accuracy = await themeBenchmark();
      // The re-tag seeds and counts RETAG_COMMENTS comments first (20,000 by default: 100,000 take
      // most of an hour to seed and count on a 2-core machine; the figures scale linearly); 0 skips it.
      const comments = Number(process.env.RETAG_COMMENTS ?? 20_000);
      if (comments === 0) return accuracy;
      const { startRuntime } = await import('#local/runtime');
      const { retagBenchmark } = await import('./retag.ts');
      const runtime = await startRuntime({ port: 0, quiet: true, ttlSweepIntervalMs: 0 });
      try {
        return { figures: [...accuracy.figures, ...(await retagBenchmark(comments))], table: accuracy.table };
      } finally {
        await runtime.stop();
      }
    },
  },
  import: {
    description: 'new addresses imported per second, against DynamoDB Local\'s raw BatchWriteItem ceiling',
    run: async () => {
      const { startRuntime } = await import('#local/runtime');
      const { importBenchmark } = await import('./import.ts');
      const runtime = await startRuntime({ port: 0, quiet: true });
      try {
        return { figures: await importBenchmark(runtime) };
      } finally {
        await runtime.stop();
      }
    },
  },
  window: {
    description: "the score counter's stream batching window: answer→score p50/p95 at 1 answer/s and write units per counted response at 100 answers/s, for each window in one run",
    run: async () => {
      const { startRuntime } = await import('#local/runtime');
      const { streamWindowBenchmark } = await import('./stream-window.ts');
      const runtime = await startRuntime({ port: 0, quiet: true });
      try {
        return { figures: await streamWindowBenchmark(runtime) };
      } finally {
        await runtime.stop();
      }
    },
  },
  scale: {
    description:
      'a campaign of SCALE_RECIPIENTS (100,000) e-mail recipients end to end: CLI import, hold, release, send, answers, score recount, cases; and 1,000,000 on AWS modelled from it',
    run: async () => {
      process.env.EMAIL_SEND_RATE = '100000';
      // The clock first: the runtime and the handlers must read the one the benchmark can move.
      const { adjustableClock } = await import('./clock.ts');
      const clock = adjustableClock();
      const { startRuntime } = await import('#local/runtime');
      const { importHandlerFromEntry } = await import('#local/lambda/local-function');
      const { instrumentClients, meteringLoader } = await import('./meter.ts');
      const runtime = await startRuntime({ port: 0, quiet: true, ttlSweepIntervalMs: 0, scheduleIntervalMs: 5000, loadHandler: meteringLoader(importHandlerFromEntry) });
      try {
        await instrumentClients();
        const { scaleBenchmark } = await import('./scale.ts');
        return await scaleBenchmark(runtime, clock);
      } finally {
        await runtime.stop();
        delete process.env.EMAIL_SEND_RATE;
      }
    },
  },
  bundles: {
    description: 'bundle size (raw, gzip) and cold import time per Lambda',
    run: async () => {
      const measured = await benchBundles();
      return { figures: bundleFigures(measured), table: bundleTable(measured) };
    },
  },
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}

const names = requested.length ? requested : Object.keys(benchmarks);
if (names.length > 1) {
  const started = performance.now();
  const failed: string[] = [];
  for (const name of names) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1] ?? 'bench/run.ts', name], { stdio: 'inherit' });
    if (child.status !== 0) failed.push(name);
  }
  const minutes = (performance.now() - started) / 60_000;
  console.log(`\n# ${names.length} benchmarks in ${minutes.toFixed(1)} min${failed.length ? `; failed: ${failed.join(', ')}` : ', none failed'}`);
  process.exit(failed.length === 0 ? 0 : 1);
}

const currentCommit = (): string => {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot, encoding: 'utf8' });
  return `${head.stdout.trim() || 'unknown'}${dirty.stdout.trim() ? ' (with uncommitted changes)' : ''}`;
};

const resultsDir = path.join(repoRoot, 'bench', 'results');
await mkdir(resultsDir, { recursive: true });
console.log(`node ${process.version} on ${process.platform}/${process.arch}`);
for (const name of names) {
  const benchmark = benchmarks[name]!;
  console.log(`\n# ${name}: ${benchmark.description}`);
  const { figures, table } = await benchmark.run();
  figures.forEach(printFigure);
  if (table) console.log(`\n${table}`);
  // Which code and when, so the README's figures can be traced to the run they came from.
  const measured = { benchmark: name, commit: currentCommit(), measuredAt: new Date().toISOString(), figures };
  await writeFile(path.join(resultsDir, `${name}.json`), `${JSON.stringify(measured, null, 2)}\n`);
}
