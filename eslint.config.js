// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What no domain file may import (see the overrides below). */
const DOMAIN_FORBIDDEN = [
  {
    group: ['@aws-sdk/*'],
    message: 'Domain code never imports the SDK: name a port in shared/ports/ and implement it in shared/adapters/.',
  },
  { group: ['**/adapters/**'], message: 'Domain code never imports an adapter: depend on its port (shared/ports/).' },
  {
    group: ['**/composition/**'],
    message: 'Domain code never imports the composition: the composition imports the domain.',
  },
];

/** Each room's face: the handler modules and pages that turn requests into use-case calls. */
const ROOM_FACES = [
  'shared/**/handler.ts',
  'shared/**/handlers.ts',
  'shared/**/*-handler.ts',
  'shared/**/task-handlers.ts',
  'shared/review/page.ts',
  'shared/review/inbox-page.ts',
  'shared/operations/console/**',
  'shared/operations/exports/response.ts',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', '.bench-out/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  // Type-checked rules: floating promises, awaits of non-promises, `any` leaking out of a parse…
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly' },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Handlers, ports and fakes are async because their interface is (a route table of async
      // handlers, a Promise-returning port); many answer without awaiting anything, on purpose.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z']",
          message:
            "Import zod as a namespace (import * as z from 'zod'): the named `z` export defeats tree-shaking and adds ~360 KB to every Lambda bundle.",
        },
      ],
    },
  },
  // The domain is pure: the rooms of the pipeline, with the rules, schemas and ports they stand
  // on, name what they need as ports and never reach for the SDK, an adapter, the composition
  // or the environment. Only the composition (shared/composition/) wires adapters into ports.
  {
    files: ['shared/{intake,validation,ladder,review,operations,notice,rules,schemas,ports}/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: DOMAIN_FORBIDDEN }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only shared/composition/ reads the environment (composition/env.ts).',
        },
      ],
    },
  },
  // …and its use cases speak no HTTP: requests and responses belong to each room's face (its
  // handler module, its pages), which calls the use cases.
  {
    files: ['shared/{intake,validation,ladder,review,operations,notice,rules,schemas,ports}/**/*.ts'],
    ignores: ROOM_FACES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...DOMAIN_FORBIDDEN,
            {
              group: ['**/platform/http/**'],
              message: "Domain code speaks no HTTP: map requests and responses in the room's handler or page module.",
            },
          ],
        },
      ],
    },
  },
  // Plain JavaScript config files are outside the TypeScript project.
  { files: ['**/*.{js,cjs,mjs}'], extends: [tseslint.configs.disableTypeChecked] },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read answers as parsed JSON and poke at them field by field: that is `any` on
      // purpose, and each assertion checks the field it reads.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Focused or skipped tests would hide failures in CI.
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].flatMap((object) =>
          ['only', 'skip', 'todo'].map((property) => ({ object, property, message: 'No focused or skipped tests.' })),
        ),
        // Tests wait on the event that says a thing happened (the stack's and the engine's hooks),
        // never by polling: polls are slow on a quiet machine and flaky on a busy one.
        ...[
          ['expect', 'poll'],
          ['vi', 'waitFor'],
          ['vi', 'waitUntil'],
        ].map(([object, property]) => ({
          object,
          property,
          message: 'Wait on an event or a promise, not by polling.',
        })),
      ],
    },
  },
);
