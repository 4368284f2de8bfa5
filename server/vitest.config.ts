import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite compiles its WebAssembly per worker; two workers match the 2-core CI machine.
    maxWorkers: 2,
    // Test files share a worker's modules: each file still gets its own database and platform
    // (no test mocks modules or globals), and not re-importing the server and PGlite per file
    // halves the suite's time (PGlite pass 424 s -> 220 s on the 2-core machine).
    isolate: false,
  },
});
