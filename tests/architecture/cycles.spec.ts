import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * No import cycles in product code (apps/, libs/, workflows/src), type-only imports included: a cycle is two modules
 * that can no longer be understood, tested or moved one without the other. Relative imports and the `@duban/*` path
 * aliases are followed; packages are not.
 */
const root = join(__dirname, '..', '..');

function productFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name === 'test' ? [] : productFiles(p);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [p] : [];
  });
}

function aliasTarget(spec: string): string | null {
  const lib = spec.match(/^@duban\/(domain|event-store|read-models|contracts|application)(\/.*)?$/);
  if (lib) return join(root, 'libs', lib[1], 'src', lib[2] ?? '');
  const wf = spec.match(/^@duban\/workflows\/(.*)$/);
  return wf ? join(root, 'workflows', wf[1]) : null;
}

const asFile = (base: string): string | null => [`${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c)) ?? null;

export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
      const base = m[1].startsWith('.') ? resolve(dirname(f), m[1]) : aliasTarget(m[1]);
      const target = base ? asFile(base) : null;
      if (target) deps.push(target);
    }
    graph.set(f, deps);
  }
  return graph;
}

/** Strongly connected components of more than one module (Tarjan). */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('architecture: no import cycles', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cyclesOf(graph).map((c) => [...c].sort())).toEqual([['a', 'b', 'c']]);
  });

  it('has none in apps/, libs/ and workflows/src, type-only imports included', () => {
    const files = ['apps', 'libs', 'workflows/src'].flatMap((d) => productFiles(join(root, d)));
    expect(files.length).toBeGreaterThan(150);
    const graph = importGraph(files);
    // Edges were found: the aliases and relative imports resolve.
    expect([...graph.values()].flat().length).toBeGreaterThan(files.length);
    expect(cyclesOf(graph).map((c) => c.map((f) => relative(root, f)))).toEqual([]);
  });
});
