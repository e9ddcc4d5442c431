import { defineConfig } from 'vitest/config';

// Three projects: `npm run test:unit`, `npm run test:e2e` and `npm run example:test` (the example
// site in a browser). End-to-end tests (a browser, a subprocess, or the app listening on a real
// port) are named *.e2e.test.ts, beside the unit tests of the same module; the client package's
// tests live in packages/client/test/.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'], exclude: ['**/*.e2e.test.ts'] },
      },
      // One file at a time: they start servers and browsers, and some measure the event loop.
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts', 'packages/*/test/**/*.e2e.test.ts'],
          poolOptions: { forks: { singleFork: true } },
        },
      },
      { extends: true, test: { name: 'example', include: ['examples/site/test/**/*.e2e.test.ts'], testTimeout: 60_000 } },
    ],
  },
});
