import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'rules/**/*.test.ts', 'tests/**/*.test.ts'],
    setupFiles: ['./src/test-support/setup.ts'],
    coverage: {
      include: ['src/**/*.ts', 'rules/**/*.ts'],
      exclude: ['**/*.test.ts', 'src/test-support/**'],
    },
  },
});
