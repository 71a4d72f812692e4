import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Settings } from '#infra/settings';
import { synthStack } from '#test/infra/synth';

/**
 * A dry run of the README's "Deploy to AWS" guide: the outputs, settings and counts it names are
 * the ones the stack has, so the guide and the stack cannot drift apart.
 */

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const guide = readme.slice(readme.indexOf('## Deploy to AWS\n'), readme.indexOf('\n## ', readme.indexOf('## Deploy to AWS\n') + 1));

/** The guide's outputs table: each row's output names (first column) and when the stack has them (second column). */
const guideOutputs = guide
  .split('\n')
  .filter((line) => /^\| `[A-Z]\w+`/.test(line))
  .map((line) => {
    const [names = '', when = ''] = line.split('|').slice(1).map((cell) => cell.trim());
    return { names: [...names.matchAll(/`(\w+)`/g)].map((m) => m[1] ?? ''), when };
  });

const outputsOf = (context: Record<string, unknown>) => Object.keys(synthStack(context).template.findOutputs('*')).sort();

/** One deploy of each shape the guide describes. */
const deploys = {
  'a verified senderEmail': {},
  'a senderDomain without hostedZoneId': { senderEmail: undefined, senderDomain: 'acme.example' },
  'a senderDomain in a hosted zone': { senderEmail: undefined, senderDomain: 'acme.example', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
  'a customDomain with certificateArn': {
    customDomain: 'surveys.acme.example',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  },
};

describe('the deploy guide, against the template it describes', () => {
  it('has an outputs table', () => {
    expect(guideOutputs.length).toBeGreaterThan(0);
  });

  it('names exactly the outputs every deploy has as "always"', () => {
    const always = guideOutputs.filter((row) => row.when === 'always').flatMap((row) => row.names);
    expect(outputsOf(deploys['a verified senderEmail'])).toEqual([...always].sort());
    expect(outputsOf(deploys['a senderDomain in a hosted zone'])).toEqual([...always].sort());
  });

  it('names every output some deploy has, and no other', () => {
    const everyOutput = new Set(Object.values(deploys).flatMap(outputsOf));
    expect([...everyOutput].sort()).toEqual(guideOutputs.flatMap((row) => row.names).sort());
  });

  it('fetches only outputs the stack has', () => {
    const fetched = [...guide.matchAll(/\$\(output (\w+)\)/g)].map((m) => m[1]);
    expect(fetched).toEqual(['ApiUrl', 'ApiKeySecretArn', 'UserPoolId', 'ConsoleUrl']);
    const outputs = outputsOf({});
    for (const name of fetched) expect(outputs).toContain(name);
  });

  it('counts the CloudWatch alarms the cost model charges for', () => {
    const counted = Number(/(\d+) CloudWatch alarms/.exec(guide)?.[1]);
    synthStack().template.resourceCountIs('AWS::CloudWatch::Alarm', counted);
  });

  it('passes only settings the stack reads', () => {
    const keys = [...readme.matchAll(/-c (\w+)=/g)].map((m) => m[1] ?? '');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(Object.keys(Settings.shape), key).toContain(key);
  });
});
