import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFileName, lazySdkModules } from '#infra/bundling';
import { buildConsoleFiles } from '#infra/console-files';
import { createNpsloopApp } from '#infra/npsloop-app';
import { type FunctionName, functions } from '#shared/contract/wiring';
import { placeholderHandlerEnvironment } from '../../bench/handler-environment.ts';
import { deployContext } from './synth.ts';

/**
 * The one slow test: the app exactly as `cdk synth` builds it — real esbuild bundling of every
 * handler and the cdk-nag AwsSolutions checks. The other infra tests skip both for speed.
 */
describe('npsloop app, synthesized with bundling and cdk-nag', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'npsloop-synth-'));
  let assembly: CloudAssembly;
  let assetDirs: Record<FunctionName, string>;

  // GIVEN the app with cdk.json's context and a sender, WHEN it is synthesized
  let consoleFiles = '';
  beforeAll(async () => {
    consoleFiles = await buildConsoleFiles();
    const { app, stack } = createNpsloopApp(consoleFiles, { outdir, context: deployContext });
    // In a test, CDK throws here when a validation plugin (cdk-nag) reports an error.
    assembly = app.synth();
    const template = assembly.getStackArtifact(stack.artifactId).template;
    assetDirs = Object.fromEntries(
      (Object.keys(functions) as FunctionName[]).map((name) => {
        const fn = stack.functions[name];
        const code = template.Resources[stack.getLogicalId(fn.node.defaultChild as CfnFunction)].Properties.Code;
        // The staged asset directory is named after the asset hash, which is also the S3 key.
        return [name, path.join(outdir, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`)];
      }),
    ) as Record<FunctionName, string>;
  }, 120_000); // one real esbuild run per function: seconds, but more than the default hook timeout on a busy machine
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    if (consoleFiles) rmSync(consoleFiles, { recursive: true, force: true });
  });

  it('passes every AwsSolutions check that is not acknowledged with a reason', () => {
    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    const findings = report.pluginReports.filter((r) => JSON.stringify(r).includes('AwsSolutions'));
    expect(findings).toEqual([]);
  });

  it('records each acknowledgement, with its reason, in the template for reviewers', () => {
    type Resource = { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } };
    const resources = Object.values(assembly.stacks[0]!.template.Resources as Record<string, Resource>);
    const acknowledgements = resources.flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect(acknowledgements.map((a) => a.id)).toEqual(
      expect.arrayContaining(['AwsSolutions-APIG4', 'AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-SMG4', 'AwsSolutions-SQS3']),
    );
    for (const { id, reason } of acknowledgements) expect(reason.length, `reason for ${id}`).toBeGreaterThan(60);
  });

  it.each(Object.keys(functions) as FunctionName[])('bundles %s into one ESM file, SDK and #shared imports included', (name) => {
    const file = path.join(assetDirs[name], bundleFileName);
    const code = readFileSync(file, 'utf8');
    expect(existsSync(path.join(assetDirs[name], `${bundleFileName}.map`))).toBe(true);
    expect(code).toMatch(/^import\s*\{\s*createRequire as __npsloopCreateRequire\s*\}\s*from\s*["']node:module["']/);
    // It loads where no node_modules can be found (the synth dir is under the OS temp dir): the
    // `#shared/*` aliases, the SDK and every dependency are inside, and the require banner works.
    const load = spawnSync(process.execPath, ['--input-type=module', '-e', 'await import(process.env.BUNDLE_URL)'], {
      env: { PATH: process.env.PATH ?? '', ...placeholderHandlerEnvironment(), BUNDLE_URL: pathToFileURL(file).href },
      encoding: 'utf8',
    });
    expect(load.stderr).toBe('');
    expect(load.status).toBe(0);
  });

  it.each(Object.keys(functions) as FunctionName[])('bundles into %s only the AWS clients that its grants use', (name) => {
    const code = readFileSync(path.join(assetDirs[name], bundleFileName), 'utf8');
    const { uses } = functions[name];
    // Each client carries its package name (its user agent): present exactly when the function may call it.
    const expected = {
      'client-dynamodb': true,
      'client-sesv2': uses.sendsEmail === true,
      'client-sns': uses.sendsSms === true || (uses.publishTo ?? []).length > 0,
      'client-sqs': (uses.sendTo ?? []).length > 0,
      'client-secrets-manager': uses.tokenSecret === true || uses.apiKey === true,
    };
    const bundled = Object.fromEntries(Object.keys(expected).map((client) => [client, code.includes(`"@aws-sdk/${client}"`)]));
    expect(bundled).toEqual(expected);
  });

  // The stream, queue and schedule consumers read only zod/mini schemas (table items, records,
  // events; see the README's "Two flavours of zod"): one classic schema would bring all of classic, ~70 KB.
  it.each(['countScores', 'releaseDue', 'handleSesEvent', 'retagResponses', 'openFollowup', 'escalateOverdue'] as const)('bundles no zod classic into %s', (name) => {
    const code = readFileSync(path.join(assetDirs[name], bundleFileName), 'utf8');
    // zod names each schema class once, in a string minification keeps: classic's ZodObject, mini's ZodMiniObject.
    expect(code).toContain('"ZodMiniObject"');
    expect(code).not.toContain('"ZodObject"');
  });

  it.each(Object.keys(functions) as FunctionName[])('leaves out of %s only SDK code that it imports lazily', (name) => {
    const code = readFileSync(path.join(assetDirs[name], bundleFileName), 'utf8');
    for (const specifier of lazySdkModules) {
      // A static import would load the runtime's copy at every cold start; only `import()` may name it.
      expect(code, specifier).not.toMatch(new RegExp(`(?:from|import)\\s*["']${specifier}["']`));
      expect(code, specifier).toContain(`import("${specifier}")`);
    }
  });
});
