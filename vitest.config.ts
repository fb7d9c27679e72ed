import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their TypeScript sources (the `nnkit-source` export condition), so a
// change needs no rebuild to be tested; the CLI's end-to-end tests run the built `dist/` as users do.
const conditions = ['nnkit-source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['nnkit-source'] } },
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
