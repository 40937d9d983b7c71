import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tests of torch.memory() let the collector run before they sample (globalThis.gc)
    execArgv: ['--expose-gc'],
  },
});
