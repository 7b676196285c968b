import { defineConfig } from 'vitest/config';

// The tests Stryker runs against mutants of src/domain: the domain's own unit tests
// (milliseconds each, no database).
export default defineConfig({
  test: {
    include: ['src/domain/**/*.test.ts'],
    environment: 'node',
    // Instrumented code on a busy machine: property tests can take seconds.
    testTimeout: 60_000,
  },
});
