// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * shared/ is split by role, and each role may import only the roles below it:
 * core (pure rules) ← contract, render ← aws (adapters) ← table ← app (use cases).
 * An import is caught whether it goes through the `#shared/` alias or a relative path.
 */
const sharedRole = (role) => `^(?:#shared/|(?:\\.{1,2}/)+(?:shared/)?)${role}(?:/|$)`;
const forbid = (why, ...roles) => roles.map((role) => ({ regex: sharedRole(role), message: `${why} (shared/${role}/ sits above it).` }));
const noSdk = (why) => [
  { regex: '^@aws-sdk/', message: `${why}: no AWS SDK.` },
  { regex: '^@aws-lambda-powertools/', message: `${why}: no Powertools.` },
];
const restrict = (folder, patterns) => ({
  files: [`shared/${folder}/**/*.ts`],
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // `import { z }` drags all of zod's locales into every bundle (+360 KB minified); the namespace import tree-shakes.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value=/^zod(?:\\u002Fmini)?$/] > ImportSpecifier[imported.name='z']",
          message: "Write `import * as z from 'zod'` (or 'zod/mini'): `import { z }` bundles every zod locale (about 360 KB minified per function).",
        },
      ],
    },
  },
  restrict('core', [
    ...noSdk('core/ holds pure rules'),
    ...forbid('core/ holds pure rules and imports only core', 'contract', 'render', 'aws', 'table', 'app'),
  ]),
  restrict('render', [
    ...noSdk('render/ only renders'),
    // The console previews e-mails and SMS in the browser with these very renderers.
    { regex: '^node:', message: 'render/ is imported by the browser (the console\'s previews): no Node built-ins.' },
    { regex: `${sharedRole('core')}(?:contacts|tokens)$`, message: 'render/ is imported by the browser: this core module needs node:crypto.' },
    ...forbid('render/ only renders', 'aws', 'table', 'app'),
  ]),
  restrict('contract', [
    ...noSdk('contract/ declares shapes'),
    // A browser (the console) imports the contract: nothing here may need Node, nor a core module that does.
    { regex: '^node:', message: 'contract/ is imported by the browser: no Node built-ins.' },
    { regex: `${sharedRole('core')}(?:contacts|tokens)$`, message: 'contract/ is imported by the browser: this core module needs node:crypto.' },
    ...forbid('contract/ declares shapes and imports only core', 'render', 'aws', 'table', 'app'),
  ]),
  {
    // The console runs in the browser: the contract, pure rules and the renderers (the live preview
    // shows what the sender will send), nothing that needs Node or AWS.
    files: ['console/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noSdk('console/src/ runs in the browser'),
            { regex: '^node:', message: 'console/src/ runs in the browser: no Node built-ins.' },
            { regex: `${sharedRole('core')}(?:contacts|tokens)$`, message: 'console/src/ runs in the browser: this core module needs node:crypto.' },
            ...forbid('console/src/ may import only the contract, core and render', 'aws', 'table', 'app'),
          ],
        },
      ],
    },
  },
  restrict('aws', forbid('aws/ adapts one AWS service each and knows no table item or use case', 'table', 'app')),
  restrict('table', forbid('table/ knows keys and items, not use cases', 'app')),
);
