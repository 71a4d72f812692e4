#!/usr/bin/env node
// The package's bin (`npx npsloop`): runs the TypeScript CLI in cli/ through tsx, so there is no
// build step. Under npx the repo's own Node 24 (the `node` devDependency) is first on PATH.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
