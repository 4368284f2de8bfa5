import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite compiles its WebAssembly per worker; two workers match the 2-core CI machine.
    maxWorkers: 2,
  },
});
