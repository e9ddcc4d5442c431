import { defineConfig } from 'vitest/config';

// Two projects: `npm run test:unit` and `npm run test:e2e`. End-to-end tests (a browser, a
// subprocess, or the app listening on a real port) are named *.e2e.test.ts, beside the unit
// tests of the same module.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/**/*.e2e.test.ts'] } },
      // One file at a time: they start servers and browsers, and some measure the event loop.
      { extends: true, test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'], poolOptions: { forks: { singleFork: true } } } },
    ],
  },
});
