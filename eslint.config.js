// ESLint for the whole workspace: `pnpm lint` runs it after the type-checks and before `prettier --check`.
// Formatting is Prettier's alone (.prettierrc); these rules catch bugs and hold the packages' import boundaries
// (ARCHITECTURE.md, "What each package may import").
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TYPESCRIPT = ['**/*.ts'];
const JAVASCRIPT = ['**/*.{js,mjs,cjs}'];
const TESTS = ['**/*.test.ts', '**/*.fixture.ts', 'test/**'];

/**
 * What each package may import of the workspace's own packages, by the folder its files live in: ARCHITECTURE.md
 * has the same table with the reasons, and test/architecture.test.ts checks that the two agree and that the rule
 * refuses. Anything of ours not named is refused: `@nnkit/<name>`, the umbrella package `nnkit`, and third-party
 * plugins `nnkit-plugin-*` (the test fixtures). `plugin-*` admits every plugin. The CLI and the umbrella package
 * `nnkit` assemble everything and have no row.
 */
export const MAY_IMPORT = {
  'packages/backends': [],
  'packages/viz': [],
  'packages/core': ['backends'],
  'packages/kit': ['core', 'backends'],
  'packages/ops': ['core'],
  'packages/decoding': ['core', 'ops'],
  'packages/train': ['core', 'ops', 'decoding', 'kit'],
  datasets: ['core', 'ops'],
  'plugins/*': ['core', 'ops', 'decoding', 'train'],
  // The conformance suites run a model through its task, so they load the built-in tasks plugin as an app would.
  'packages/testing': ['core', 'kit', 'ops', 'decoding', 'train', 'datasets', 'backends', 'plugin-tasks'],
  recipes: ['core', 'kit', 'ops', 'decoding', 'train', 'datasets', 'viz', 'backends', 'plugin-*'],
  'packages/bench': ['core', 'kit', 'ops', 'decoding', 'train', 'datasets', 'backends', 'plugin-*'],
};

const SEE = 'ARCHITECTURE.md, "What each package may import"';

/** Tests may also load other packages, and plugins, into a kit: the boundaries hold for what ships. */
const boundaries = Object.entries(MAY_IMPORT).map(([folder, allowed]) => {
  // A package imports itself by name in its own tests only (`@nnkit/core/testing` from core's source is fine too).
  const own = folder.startsWith('plugins/') ? [] : [folder.replace(/^packages\//, '')];
  const names = [...allowed, ...own].map((name) => `${name.replace('*', '[^/]+')}(/|$)`).join('|');
  const listed = allowed.length > 0 ? allowed.map((name) => `@nnkit/${name}`).join(', ') : 'nothing of nnkit';
  return {
    name: `nnkit/boundaries/${folder}`,
    files: [`${folder}/src/**/*.ts`],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Plugins are `@nnkit/plugin-*`, so a plugin importing another is refused here: they meet by registry.
              regex: `^@nnkit/(?!(${names}))`,
              message: `${folder} may import ${listed} (${SEE}).`,
            },
            {
              regex: '^(nnkit|nnkit-plugin-.*)(/|$)',
              message: `${folder} may not import the umbrella package nnkit or a third-party plugin (${SEE}).`,
            },
          ],
        },
      ],
    },
  };
});

export default defineConfig(
  {
    name: 'nnkit/ignores',
    ignores: ['**/dist/', '**/node_modules/', '**/coverage/', 'results/', '**/nnkit-out/', 'test/.readme-*.mjs'],
  },
  { name: 'nnkit/report-unused-disable-directives', linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'nnkit/typescript',
    files: TYPESCRIPT,
    languageOptions: {
      // One program over every package's source and the tests, as `tsc -p tsconfig.tests.json` builds it.
      parserOptions: { project: './tsconfig.tests.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Type-aware rules that catch real bugs: a promise nobody awaits loses its error, and a training step or a
      // file write that was meant to finish may not have.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // nnkit throws typed errors (NnkitError subclasses with a code), never strings.
      '@typescript-eslint/only-throw-error': 'error',
      // `import type` for what is only a type: the import then vanishes from the JavaScript, so type-only cycles
      // between packages cost nothing at run time. tsc's verbatimModuleSyntax checks the rest.
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
    },
  },
  {
    // Hand-written declarations of the umbrella package (packages/nnkit has no build step) are outside the program.
    name: 'nnkit/declarations',
    files: ['packages/nnkit/**/*.d.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    name: 'nnkit/javascript',
    files: JAVASCRIPT,
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'nnkit/commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'nnkit/everywhere',
    rules: {
      eqeqeq: ['error', 'always'],
      // Comments may show the invisible characters an error message names (a byte order mark, a no-break space).
      'no-irregular-whitespace': ['error', { skipComments: true }],
      // Matching terminal colour codes (\x1b[…m) is on purpose: tests and the probe strip them from CLI output.
      'no-control-regex': 'off',
      // Tests match CLI output whose spacing is the format (a stack trace's indent, the progress bar's columns):
      // the spaces written out read as the output does, where `/ {4}at /` would not.
      'no-regex-spaces': 'off',
      // An unused name is a bug or litter; a leading underscore says "unused on purpose" (a callback's parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  ...boundaries,
);
