import { gzipSync } from 'node:zlib';
import { buildConsole } from '../console/build.ts';
import type { Figure } from './figures.ts';

/**
 * The console's weight in the browser: each built file, raw and gzipped, and the gzipped total of
 * its JavaScript against the budget (DESIGN.md: at most 150 KB, so a phone on a slow line opens it
 * in a few seconds). Also how long the build takes, which `npm start` spends while its services start.
 */
export const CONSOLE_JS_BUDGET_KB = 150;

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

export const consoleBenchmark = async (): Promise<{ figures: Figure[]; table: string }> => {
  const started = performance.now();
  const { files } = await buildConsole();
  const buildMs = performance.now() - started;
  const rows = [...files].map(([name, contents]) => ({ name, rawKB: kb(contents.byteLength), gzipKB: kb(gzipSync(contents, { level: 9 }).byteLength) }));
  const jsGzipKB = Math.round(rows.filter((r) => r.name.endsWith('.js')).reduce((sum, r) => sum + r.gzipKB, 0) * 10) / 10;
  const totalGzipKB = Math.round(rows.reduce((sum, r) => sum + r.gzipKB, 0) * 10) / 10;
  const figures: Figure[] = [
    { name: 'console JavaScript, gzipped', value: jsGzipKB, unit: `KB (budget ${CONSOLE_JS_BUDGET_KB} KB, ${Math.round((100 * jsGzipKB) / CONSOLE_JS_BUDGET_KB)}% used)` },
    { name: 'console, all files gzipped', value: totalGzipKB, unit: 'KB' },
    ...rows.map((r) => ({ name: `console ${r.name.replace(/-[A-Z0-9]{8}\./, '.')} gzipped`, value: r.gzipKB, unit: `KB (${r.rawKB} KB raw)` })),
    { name: 'console build time', value: Math.round(buildMs), unit: 'ms' },
  ];
  const table = [
    '| file | raw KB | gzip KB |',
    '| --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.rawKB} | ${r.gzipKB} |`),
    `| **JavaScript total** | | **${jsGzipKB}** of ${CONSOLE_JS_BUDGET_KB} |`,
  ].join('\n');
  return { figures, table };
};
