import { defineConfig } from 'vitest/config';

// Component and unit tests of the web app (src/**/*.test.ts); the browser end-to-end tests are in tests/web.
export default defineConfig({
  root: __dirname,
  test: { include: ['src/**/*.test.{ts,tsx}'], environment: 'node' },
});
