// CDK entry (cdk.json "app"). The CLI runs this and the App synthesizes itself on exit.
import { rmSync } from 'node:fs';
import { buildConsoleFiles } from '#infra/console-files';
import { createNpsloopApp } from '#infra/npsloop-app';
import { SettingsError } from '#infra/settings';

const consoleFiles = await buildConsoleFiles();
// The App synthesizes on 'beforeExit' and has copied the files into the assembly by then.
process.once('exit', () => rmSync(consoleFiles, { recursive: true, force: true }));
try {
  createNpsloopApp(consoleFiles);
} catch (error) {
  // A wrong -c value is the user's to fix: one line that names it, not a stack trace.
  if (!(error instanceof SettingsError)) throw error;
  process.stderr.write(`npsloop: ${error.message}\n`);
  process.exit(1);
}
