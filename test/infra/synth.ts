import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createNpsloopApp } from '#infra/npsloop-app';
import { NpsloopStack } from '#infra/stack';

/** The context `cdk synth` runs with (settings and feature flags), so tests see the deployed shape. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/** cdk.json names no sender (a deploy must be given one), so the tests give one, as `-c senderEmail=` would. */
export const testSender = { senderEmail: 'surveys@example.com' } as const;

/** cdk.json's context plus the sender every deploy needs: what `cdk synth -c senderEmail=…` runs with. */
export const deployContext: Record<string, unknown> = { ...cdkJsonContext, ...testSender };

/**
 * The fast path for template tests: no esbuild bundling (`aws:cdk:bundling-stacks: []` leaves a
 * placeholder asset) and no built-in CloudFormation validation (what CDK_VALIDATION=false does).
 */
export const fastContext = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...deployContext,
  'aws:cdk:bundling-stacks': [],
  ...overrides,
});

/** A stand-in for the built console (one index.html), so template tests need no console build. */
export const consoleFixture = fileURLToPath(new URL('../fixtures/console/', import.meta.url));

/** The stack alone, as a template to assert on. */
export const synthStack = (context: Record<string, unknown> = {}): { stack: NpsloopStack; template: Template } => {
  const app = new App({ context: fastContext(context), builtinCloudFormationValidation: false });
  const stack = new NpsloopStack(app, 'NpsloopStack', { consoleFiles: consoleFixture });
  return { stack, template: Template.fromStack(stack) };
};

/** The whole app (stack + cdk-nag), without bundling. */
export const fastApp = (context: Record<string, unknown> = {}) =>
  createNpsloopApp(consoleFixture, { context: fastContext(context), builtinCloudFormationValidation: false });

/** What a `{ Ref }` / `{ Fn::GetAtt }` to this element looks like in the template. */
export const logicalId = (stack: Stack, element: CfnElement): string => stack.getLogicalId(element);

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

export const actionsOf = (statement: PolicyStatement): string[] => asList(statement.Action);
export const resourcesOf = (statement: PolicyStatement): unknown[] => asList(statement.Resource);

/** Every IAM identity-policy statement in the template: managed, inline on roles, and AWS::IAM::Policy. */
export const allIamStatements = (template: Template): PolicyStatement[] => {
  const docs: { Statement: PolicyStatement[] }[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) docs.push(policy.Properties.PolicyDocument);
  for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy'))) docs.push(policy.Properties.PolicyDocument);
  for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
    for (const inline of role.Properties.Policies ?? []) docs.push(inline.PolicyDocument);
  }
  return docs.flatMap((doc) => doc.Statement);
};

/** The statements granted to one role (through the policies attached to it). */
export const roleStatements = (template: Template, roleLogicalId: string): PolicyStatement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatement[]);
