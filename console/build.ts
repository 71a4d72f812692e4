/**
 * Builds the console (console/src) into static files with esbuild, in memory: one script and one
 * stylesheet with content hashes in their names (cached forever), an icon, and an index.html that
 * names them (never cached). index.html has no inline script or style, so the page runs under a
 * strict Content-Security-Policy (`consoleCsp`). The local runtime serves the files under
 * `/console/`; the CDK stack uploads them to S3, each with a `config.json` of its own
 * (`ConsoleConfig`: where to sign in).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

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

const consoleRoot = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(consoleRoot);
// esbuild needs an output folder to name files; nothing is written there.
const virtualOut = path.join(consoleRoot, 'dist');

export async function buildConsole(options: ConsoleBuildOptions = {}): Promise<ConsoleBuild> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: { app: path.join(consoleRoot, 'src', 'main.tsx') },
    bundle: true,
    write: false,
    outdir: virtualOut,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(consoleRoot, 'tsconfig.json'),
    logLevel: 'silent',
    plugins: [zodEnglishOnly],
  });
  const files = new Map<string, Uint8Array>();
  for (const file of result.outputFiles) files.set(path.relative(virtualOut, file.path).split(path.sep).join('/'), file.contents);
  const script = [...files.keys()].find((name) => name.endsWith('.js'));
  const stylesheet = [...files.keys()].find((name) => name.endsWith('.css'));
  if (!script || !stylesheet) throw new Error(`The console build made no script or no stylesheet: ${[...files.keys()].join(', ')}`);
  files.set('icon.svg', new TextEncoder().encode(icon));
  files.set('index.html', new TextEncoder().encode(indexHtml(script, stylesheet)));
  if (options.outdir) {
    const outdir = options.outdir;
    await mkdir(outdir, { recursive: true });
    await Promise.all([...files].map(([name, contents]) => writeFile(path.join(outdir, name), contents)));
  }
  return { files };
}

/**
 * zod re-exports all of its ~50 message locales as a namespace (`export * as locales`), which
 * esbuild cannot shake: 250 KB of the console's script for texts it never shows (the console words
 * its own messages). Only English, the locale zod registers by default, is kept.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)
        ? { path: path.join(path.dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' }
        : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** Where the console signs in: served beside the files as `config.json`, so one build runs anywhere. */
export interface ConsoleConfig {
  readonly issuer: string;
  readonly clientId: string;
}

/**
 * The policy the console runs under: nothing but its own files, and calls to its own origin (the
 * API) and the identity provider's (discovery, token exchange). No inline script or style.
 * Cognito answers discovery on the issuer's origin but exchanges tokens on the user pool's own
 * domain: pass that origin too.
 */
export const consoleCsp = (issuer: string, ...alsoConnectTo: readonly string[]): string =>
  [
    "default-src 'self'",
    `connect-src ${['\'self\'', ...new Set([issuer, ...alsoConnectTo].map((url) => new URL(url).origin))].join(' ')}`,
    "img-src 'self'",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

/** Files whose names change with their contents may be cached for good; the rest must be asked for again. */
export const isHashedName = (name: string): boolean => /-[A-Z0-9]{8}\.(?:js|css)$/.test(name);

const indexHtml = (script: string, stylesheet: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>npsloop console</title>
<link rel="icon" href="icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${stylesheet}">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="app"><p class="boot">npsloop</p></div>
</body>
</html>
`;

const icon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><path d="M9 21l5-6 4 3 5-7" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
