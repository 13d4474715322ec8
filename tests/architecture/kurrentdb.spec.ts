import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : sources(p);
    return /\.ts$/.test(name) ? [p] : [];
  });
}

const product = (): string[] => ['apps', 'libs', 'workflows', 'bench'].flatMap((d) => sources(join(root, d)));

/**
 * The KurrentDB client takes about a third of a second to load: a PostgreSQL process (and every test file) must never
 * pay it. Only the adapter imports the client, and everything else reaches the adapter by a dynamic import made where
 * EVENT_STORE=kurrentdb was chosen.
 */
describe('the KurrentDB adapter stays behind the port', () => {
  it('imports @kurrent/kurrentdb-client only inside libs/event-store/src/kurrentdb', () => {
    const importers = product()
      .filter((f) => /from '@kurrent\/kurrentdb-client'|require\('@kurrent\/kurrentdb-client'\)/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((f) => !f.startsWith('libs/event-store/src/kurrentdb/'))).toEqual([]);
  });

  it('reaches the adapter from outside its folder only by a dynamic import (or from its own tests)', () => {
    const adapter = /(from\s+|require\(\s*)'(@duban\/event-store\/kurrentdb|\.\/kurrentdb(\/(?!connection-string)[\w-]+)?)'/;
    const offenders = product()
      .filter((f) => !relative(root, f).startsWith('libs/event-store/src/kurrentdb/') && !/\.(spec|kurrentdb-spec)\.ts$/.test(f))
      .filter((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .some((line) => adapter.test(line) && !/^\s*(import type|export type|\/\/|\*)/.test(line)),
      )
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});
