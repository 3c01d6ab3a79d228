import { defineConfig } from 'vitest/config';

// Three tiers: `*.test.ts` need nothing outside the process; `*.int.test.ts` talk to real Postgres and Redis;
// `*.e2e.test.ts` start api, worker and simulator processes. The last two share the services' global setup.
const sources = ['apps/*/{src,test}/**', 'packages/*/{src,test}/**', 'bench/**', 'infra/test/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: sources.map((s) => `${s}/*.test.ts`),
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: sources.flatMap((s) => [`${s}/*.int.test.ts`, `${s}/*.e2e.test.ts`]),
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
