import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as any).__DUBAN_PG__;
  if (pg) await pg.stop();
  const dir = (globalThis as any).__DUBAN_PG_DIR__;
  if (dir) rmSync(dir, { recursive: true, force: true });
  const bundle = (globalThis as any).__DUBAN_BUNDLE__;
  if (bundle) rmSync(bundle, { force: true });
}
