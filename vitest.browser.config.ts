// `npm run test:browser`: the tests that drive a real browser (headless Chromium through playwright-core).
// They need /usr/bin/chromium, so the default `vitest run` (vitest.config.ts) leaves them out.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
