import { defineConfig } from 'vitest/config';

// Workspace packages are imported from their built `dist/` (`pnpm test` runs `tsc -b` first), as their users
// import them: one copy of each package per process, also for plugins that nnkit loads with a native import().
export default defineConfig({
  test: {
    // tfjs's backends are process-wide; forks keep one test file from changing another's backend.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'datasets/src/**/*.test.ts', 'recipes/src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**'] },
      },
    ],
  },
});
