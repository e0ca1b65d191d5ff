import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Fast tests first, then the ones that start clusters.
          sequence: { groupOrder: 0 },
          include: ['graders/**/*.test.ts', 'server/**/*.test.ts', 'labs/**/*.test.ts', 'web/**/*.test.ts'],
        },
      },
      {
        // Real clusters: provisioning kind or kwok and waiting for readiness takes minutes.
        test: {
          name: 'cluster',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          // Each file starts its own control planes; two at a time is what 2 cores carry.
          maxWorkers: 2,
        },
      },
    ],
  },
});
