/**
 * How every Lambda is bundled, as plain data: infra/function.ts hands it to NodejsFunction and
 * bench/bundles.ts hands it to esbuild directly, so the benchmark measures exactly what ships.
 * No CDK import here, so the benchmark does not load aws-cdk-lib.
 */

import { fileURLToPath } from 'node:url';

/** Entries in wiring.ts, the lock file and the `"imports"` map are all relative to the repository root. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The Lambda runtime family the bundles target; the stack uses the matching `nodejs24.x`. */
export const nodeMajor = 24;

/**
 * What the Lambda runtime already provides (AWS SDK v3). We bundle it anyway, so nothing is
 * external: one file loads faster than the runtime's SDK spread over hundreds of modules
 * (`npm run bench` measures both; the SDK team and middy recommend the same), and the deployed
 * SDK is the version in package-lock.json that the tests and the local runtime run, not whatever
 * the runtime ships that week. The cost is a bigger asset, which nothing here is sensitive to.
 */
export const runtimeProvidedModules = ['@aws-sdk/*'] as const;

/**
 * SDK code that a Lambda never runs, left out of the bundle (148 KB of each, nearly half of a
 * bare DynamoDBClient). Lambda always puts the function role's credentials in the environment,
 * so the SDK's credential chain stops at its first link, `fromEnv`; the other links (profiles,
 * SSO, web identity, process, container and instance metadata) are dynamic `import()`s reached
 * only when the environment has none, and they bring the SSO, STS and sign-in clients with them.
 * Event streams are imported the same way, only by operations that stream; ours do not. Should
 * one ever be reached, it loads from the runtime's own SDK. test/infra/app.test.ts checks
 * that each is imported nowhere but dynamically.
 */
export const lazySdkModules = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  '@smithy/core/event-streams',
] as const;

/**
 * ESM output has no `require`; a CommonJS dependency bundled into it still calls it (esbuild's
 * `__require` shim looks for a global one), so the bundle defines one first.
 */
export const esmRequireBanner =
  "import { createRequire as __npsloopCreateRequire } from 'node:module'; const require = __npsloopCreateRequire(import.meta.url);";

export const bundling = {
  target: `node${nodeMajor}`,
  platform: 'node',
  format: 'esm',
  minify: true,
  // Linked source maps; NODE_OPTIONS=--enable-source-maps makes stack traces point at the .ts.
  sourcemap: true,
  // Traces need only the mappings, not a copy of every source: a smaller map is parsed faster at init.
  sourcesContent: false,
  // Prefer a dependency's ESM build: it tree-shakes, the CommonJS one mostly does not.
  // package.json's `sideEffects` says our own modules outside console/, local/, cli/, bench/ and
  // test/ have none: a module none of whose exports a function uses is then dropped with all it
  // imports (countries-and-timezones' data, 31 KB, left every function that never texts).
  mainFields: ['module', 'main'],
  // Only what never runs in Lambda (lazySdkModules); the SDK itself is bundled (runtimeProvidedModules).
  external: lazySdkModules as readonly string[],
  banner: esmRequireBanner,
  // Warnings and errors only: `cdk synth -q` should print nothing when all is well.
  logLevel: 'warning',
} as const;

/** NodejsFunction names its ESM output this way; the benchmark does too. */
export const bundleFileName = 'index.mjs';
