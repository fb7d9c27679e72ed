import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The least line coverage each package must keep, in percent: a few points under what `pnpm test` measured when
 * the floors were set (the README gives those figures). A run below a floor fails, and so does CI.
 */
const LINE_FLOORS: Record<string, number> = { 'packages/core': 93, 'packages/ops': 97, 'packages/train': 94 };

// Workspace packages are imported from their built `dist/` (`pnpm test` runs `tsc -b` first), as their users
// import them: one copy of each package per process, also for plugins that nnkit loads with a native import().
export default defineConfig({
  test: {
    // tfjs's backends are process-wide; forks keep one test file from changing another's backend.
    pool: 'forks',
    // Two test files at a time: on this project's 2-core machine vitest's default ran them one by one, and most of
    // the suite waits on child processes (the CLI, npm, a registry) rather than computing.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      reportOnFailure: true, // the table and the floors also when a test fails
      // A package's TypeScript, run by its own tests, and its dist/, run by every other package's tests: the v8
      // provider maps dist/ back to the TypeScript through tsc's source maps, so each line is counted once.
      include: ['{packages,plugins}/*/{src,dist}/**/*.{ts,js}', '{datasets,recipes}/{src,dist}/**/*.{ts,js}'],
      exclude: ['**/*.test.{ts,js}', '**/*.fixture.{ts,js}', '**/*.d.ts'],
      reporter: [
        ['json-summary'],
        ['html', { subdir: 'html' }],
        [fileURLToPath(new URL('./scripts/coverage-table.cjs', import.meta.url)), { floors: LINE_FLOORS }],
      ],
      thresholds: Object.fromEntries(Object.entries(LINE_FLOORS).map(([dir, lines]) => [`${dir}/src/**`, { lines }])),
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'datasets/src/**/*.test.ts', 'recipes/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**'] },
      },
    ],
  },
});
