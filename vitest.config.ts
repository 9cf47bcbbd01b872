import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'rules/**/*.test.ts', 'tests/**/*.test.ts'],
    // Browser tests need Chromium: `npm run test:browser` runs them (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, '**/*.browser.test.ts'],
    setupFiles: ['./src/test-support/setup.ts'],
    // Typed cases build a TypeScript program over real client declarations (mongodb, the AWS SDK):
    // the first case of a file pays for it, up to 30 s on a busy 2-core machine (typed-mode callees and
    // the project index add to it since 0.2.0).
    testTimeout: 60_000,
    coverage: {
      include: ['src/**/*.ts', 'rules/**/*.ts'],
      exclude: ['**/*.test.ts', 'src/test-support/**'],
    },
  },
});
