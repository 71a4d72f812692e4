/**
 * STUB (issue 11): builds the console (console/src) into static files with esbuild.
 * The local runtime serves them under `/console/`; the CDK stack uploads them to S3.
 */
export interface ConsoleBuild {
  /** Path under the console's root (e.g. `index.html`, `app-3F2A.js`) → contents. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

export interface ConsoleBuildOptions {
  /** Default true. */
  readonly minify?: boolean;
  /** Also write the files here (the CDK asset folder). */
  readonly outdir?: string;
}

export async function buildConsole(_options: ConsoleBuildOptions = {}): Promise<ConsoleBuild> {
  return { files: new Map([['index.html', new TextEncoder().encode('<!doctype html><title>npsloop console</title><p>Console not built yet.')]]) };
}
