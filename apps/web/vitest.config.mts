import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Component and unit tests of the web app (src/**/*.test.ts); the browser end-to-end tests are in tests/web.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The cache outside node_modules (which worktrees may share).
  cacheDir: '../../.duban/vite-cache',
  test: { include: ['src/**/*.test.{ts,tsx}'], environment: 'node' },
});
