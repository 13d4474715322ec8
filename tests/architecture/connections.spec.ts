import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|mjs)$/.test(name) && !/\.spec\.ts$/.test(name) ? [p] : [];
  });
}

/**
 * A pg Pool or Client without an 'error' listener on every connection takes its process down when PostgreSQL
 * restarts (issue 11, item 2): every one the product creates goes through guardPool / guardClient where it is made.
 */
describe('database connections', () => {
  it('every pg Pool and Client in product code is created inside guardPool / guardClient', () => {
    const unguarded = ['apps', 'libs', 'infra', 'scripts'].flatMap((dir) =>
      sources(join(root, dir)).flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, i }))
          .filter(({ line }) => /new (Pool|Client)\(\{\s*connectionString/.test(line) && !/guard(Pool|Client)\(new (Pool|Client)\(/.test(line))
          .map(({ i }) => `${relative(root, f)}:${i + 1}`),
      ),
    );
    expect(unguarded).toEqual([]);
  });
});
