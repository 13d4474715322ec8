export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as any).__DUBAN_PG__;
  if (pg) await pg.stop();
}
