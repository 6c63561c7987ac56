import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Removes the temp folders of test/helpers/temp.ts after each file.
    setupFiles: ['test/setup.ts'],
    testTimeout: 20000,
    hookTimeout: 20000,
  },
});
