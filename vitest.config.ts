import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

/**
 * One run covers every workspace. Each test file opens its own fresh database (PGlite in memory, or a new
 * database on the server named by DATABASE_URL) and drops it afterwards. Files run in parallel, one per
 * core; the embedded-start and end-to-end files are slower and get longer time-outs.
 */
export default defineConfig({
  // graphql as Node resolves it (its CommonJS build), not its `module` build: the gateway's schema comes
  // from @apollo/gateway's require('graphql'), and graphql refuses types from another copy of itself.
  resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
  test: {
    projects: [
      { extends: true, test: { name: 'kit', root: 'packages/kit', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'dataset', root: 'packages/dataset', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'organisations', root: 'subgraphs/organisations', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'people', root: 'subgraphs/people', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'services', root: 'subgraphs/services', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'funding', root: 'subgraphs/funding', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'elections', root: 'subgraphs/elections', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'gateway', root: 'gateway', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'platform', root: 'test', include: ['**/*.test.ts'] } },
    ],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
