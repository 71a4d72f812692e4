/**
 * The console's static files for the stack to upload: `buildConsole()` writes them to a fresh
 * folder, which becomes a CDK asset (hashed by content, so an unchanged console uploads nothing).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildConsole } from '../console/build.ts';

/** Builds the console into a new folder and returns its path. */
export async function buildConsoleFiles(outdir = mkdtempSync(path.join(tmpdir(), 'npsloop-console-'))): Promise<string> {
  const build = await buildConsole({ outdir });
  // Written from the result too, so the folder holds exactly what the build returned, whether or not it wrote outdir itself.
  for (const [name, contents] of build.files) {
    const file = path.join(outdir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
  return outdir;
}
