// CDK entry (cdk.json "app"). The CLI runs this and the App synthesizes itself on exit.
import { createNpsloopApp } from '#infra/npsloop-app';

createNpsloopApp();
