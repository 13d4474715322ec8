import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a `node --cpu-prof` profile's time went (the HTTP bench writes one per API process with BENCH_HTTP_PROFILE):
 * self time by package (node_modules/<name>, or the repository's own folder) and the hottest functions, and the
 * inclusive time under a few named stages of a request.
 *   node -r @swc-node/register bench/cpu-profile.ts <dir or .cpuprofile> [requests]
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Inclusive stages: a sample counts once for a stage when any frame on its stack matches. */
const STAGES: Array<[string, (f: Node['callFrame']) => boolean]> = [
  ['pino / pino-http (request logging)', (f) => /node_modules\/(pino|pino-http|pino-std-serializers|sonic-boom|fast-redact|nestjs-pino)\//.test(f.url)],
  ['class-validator + class-transformer', (f) => /node_modules\/(class-validator|class-transformer)\//.test(f.url)],
  ['auth guard (JWT + directory + session)', (f) => /apps\/api\/src\/auth\/auth\.ts/.test(f.url) && f.functionName === 'canActivate'],
  ['jsonwebtoken verify', (f) => /node_modules\/jsonwebtoken\//.test(f.url)],
  ['pg (driver, protocol, parsing)', (f) => /node_modules\/(pg|pg-protocol|pg-types|pg-pool)\//.test(f.url)],
  ['application write side (libs/application)', (f) => /libs\/application\/src\//.test(f.url)],
  ['event store (libs/event-store)', (f) => /libs\/event-store\/src\//.test(f.url)],
  ['domain (libs/domain)', (f) => /libs\/domain\/src\//.test(f.url)],
  ['read models (libs/read-models)', (f) => /libs\/read-models\/src\//.test(f.url)],
  ['express + body-parser', (f) => /node_modules\/(express|body-parser|router|raw-body|finalhandler|send|qs)\//.test(f.url)],
  ['nest core (router, pipes, guards plumbing)', (f) => /node_modules\/@nestjs\/(core|common)\//.test(f.url)],
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
];

function pkgOf(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (m) return m[1];
  const own = /(apps\/[^/]+\/src\/[^/]+|libs\/[^/]+)\//.exec(url);
  if (own) return own[1];
  return url.startsWith('node:') ? 'node:*' : url || '(native/vm)';
}

export function analyse(p: Profile, requests?: number): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  const stage = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] / 1000;
    const id = p.samples[i];
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      for (const [name, match] of STAGES) if (!seen.has(name) && match(f)) seen.add(name);
    }
    for (const name of seen) stage.set(name, (stage.get(name) ?? 0) + dt);
  }
  const idle = stage.get('idle') ?? 0;
  const busy = total - idle;
  const per = (ms: number) => (requests ? ` ${(ms / requests).toFixed(3)} ms/req` : '');
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1)}%`.padStart(6);
  const pkgs = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, ms] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') continue;
    pkgs.set(pkgOf(f.url), (pkgs.get(pkgOf(f.url)) ?? 0) + ms);
    const key = `${f.functionName || '(anonymous)'} ${pkgOf(f.url)}:${f.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [
    `busy ${busy.toFixed(0)} ms of ${total.toFixed(0)} ms sampled${requests ? ` over ${requests} requests (${(busy / requests).toFixed(2)} ms/req)` : ''}`,
    'inclusive by stage (a sample counts in every stage on its stack):',
    ...STAGES.filter(([n]) => n !== 'idle').map(([n]) => `  ${pct(stage.get(n) ?? 0)} ${n}${per(stage.get(n) ?? 0)}`),
    'self time by package:',
    ...top(pkgs, 18).map(([k, ms]) => `  ${pct(ms)} ${k}${per(ms)}`),
    'hottest functions (self):',
    ...top(fns, 25).map(([k, ms]) => `  ${pct(ms)} ${k}`),
  ].join('\n');
}

if (require.main === module) {
  const [target, requests] = process.argv.slice(2);
  const files = target.endsWith('.cpuprofile') ? [target] : readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f));
  for (const f of files) {
    process.stdout.write(`${f}\n${analyse(JSON.parse(readFileSync(f, 'utf8')) as Profile, requests ? Number(requests) : undefined)}\n\n`);
  }
}
