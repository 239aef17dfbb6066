import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Each integration file opens its own databases; two cores, so keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser journeys poll the page; on two busy cores a screen can take a few seconds.
    expect: { poll: { timeout: 10_000 } },
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'rules and services',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/e2e/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The browser suites each drive chromium against a server: one at a time, after the
        // rest, so two browsers and the database suites never share the two cores.
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
