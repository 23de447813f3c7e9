import { defineConfig } from 'vitest/config'

// chDB binds one data directory per process, so every test file runs in its own child process
// (pool "forks", isolated) and opens its own temporary data directory (server/testing/tempDb.ts).
// Tests by kind: `*.int.test.ts` use real chDB, Socket.IO or Chromium (`npm run test:int`); the
// others are pure and fast (`npm run test:unit`). `npm test` runs both.
export default defineConfig({
  test: {
    pool: 'forks',
    isolate: true,
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**', 'data/**'],
  },
})
