import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NpsloopStack } from '#infra/stack';

/**
 * The deployable app: the stack, checked by cdk-nag's AwsSolutions pack on every synth. An
 * unacknowledged finding fails the synth; acknowledgements sit next to what they excuse and are
 * copied into the template's `cdk_nag` metadata, so a reviewer sees every one with its reason.
 * Shared by infra/app.ts (the CDK entry) and the infra tests. `consoleFiles` is the folder of the
 * built console (infra/console-files.ts).
 */
export const createNpsloopApp = (consoleFiles: string, props?: AppProps): { app: App; stack: NpsloopStack } => {
  const app = new App(props);
  const stack = new NpsloopStack(app, 'NpsloopStack', {
    description: 'npsloop: serverless NPS surveys, scores and detractor follow-up',
    consoleFiles,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, stack };
};
