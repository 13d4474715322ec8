import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    // Installed packages are nobody's source (bench/emmett keeps its own, apart from the root's).
    if (name === 'node_modules') return [];
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [p] : [];
  });
}

const offenders = (dir: string, pattern: RegExp): string[] =>
  sources(join(root, dir))
    .filter((f) => !f.includes(`${join('src', 'testing')}`))
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => pattern.test(line) && !/^\s*(\/\/|\*)/.test(line))
        .map(({ i }) => `${relative(root, f)}:${i + 1}`),
    );

describe('architecture rules', () => {
  it('keeps the domain pure: no framework, database, workflow engine or clock', () => {
    expect(offenders('libs/domain/src', /from '(@nestjs\/|pg'|@temporalio\/|@duban\/(event-store|read-models))/)).toEqual([]);
    expect(offenders('libs/domain/src', /Date\.now\(\)|new Date\(\)|Math\.random\(\)/)).toEqual([]);
  });

  it('keeps HTTP out of the domain: no status codes there (apps/api/src/errors maps refusals to HTTP, once)', () => {
    expect(offenders('libs/domain/src', /\bhttpStatus|\bstatusCode\b|HttpException/)).toEqual([]);
  });

  it('keeps the write side below the apps: libs/application imports the domain, the event store and contracts only', () => {
    expect(sources(join(root, 'libs/application')).length).toBeGreaterThan(3);
    expect(offenders('libs/application', /from '(@nestjs\/|pg'|@temporalio\/|@duban\/(read-models|workflows))/)).toEqual([]);
    expect(offenders('libs/application', /(from\s+|import\(\s*|require\(\s*)'(\.\.\/)+(apps|workflows|tests)\//)).toEqual([]);
  });

  it('keeps campaigns under campaigns/: the cadence reaches them only through campaigns/shared, never the other way', () => {
    const api = 'apps/api/src';
    expect(sources(join(root, api, 'campaigns', 'campaign-lifecycle')).length).toBeGreaterThan(0);
    expect(offenders(`${api}/campaigns`, /from '(\.\.\/)+cadence\//)).toEqual([]);
    expect(offenders(`${api}/cadence`, /from '(\.\.\/)+campaigns\/(?!shared\/|campaigns\.module')/)).toEqual([]);
  });

  it('queries read models and the directory only inside libs/read-models (no raw SQL on their tables elsewhere)', () => {
    const tables =
      /(FROM|JOIN|INTO|UPDATE)\s+(directory_|finding_ledger|claim_list|rectification_|audit_trail|accountability_|dispatch_notice|campaigns_v|campaign_lifecycle|inspection_reports|cadence_reports|monthly_review|projection_failures|account_audit|inbox_notices|notification_routing|webhook_|unit_digests|outbound_messages)/i;
    // The directory is a projection of its events now: its only writer is DirectoryProjection (libs/read-models).
    for (const dir of ['apps', 'libs/application', 'libs/event-store', 'libs/domain']) {
      expect(offenders(dir, tables)).toEqual([]);
    }
  });

  it('keeps the sign-in tables (password hashes, token hashes) inside apps/api/src/auth', () => {
    const auth = /(FROM|JOIN|INTO|UPDATE)\s+auth_(credentials|sessions|refresh_tokens|throttle|oidc_requests)/i;
    for (const dir of ['apps', 'libs', 'bench']) {
      expect(offenders(dir, auth).filter((at) => !at.startsWith('apps/api/src/auth/'))).toEqual([]);
    }
  });

  it('keeps the import reader generic: apps/api/src/imports/xlsx knows no domain, store or read model (each import shares it)', () => {
    expect(sources(join(root, 'apps/api/src/imports/xlsx')).length).toBeGreaterThan(2);
    expect(offenders('apps/api/src/imports/xlsx', /from '(@duban\/|\.\.\/(?!xlsx\/))/)).toEqual([]);
  });

  it('reads uploads only through the import reader: exceljs loads a workbook nowhere else in the apps', () => {
    const loads = offenders('apps', /\.xlsx\.(load|read)\(/).map((at) => at.replace(/:\d+$/, ''));
    expect(loads).toEqual(['apps/api/src/imports/xlsx/xlsx-reader.ts']);
  });

  it('keeps every library below the apps: nothing in libs/ imports from apps/', () => {
    expect(offenders('libs', /(from\s+|import\(\s*|require\(\s*)'(\.\.\/)+apps\//)).toEqual([]);
  });

  it('keeps the apps apart: apps/api and apps/worker never import each other (what both need lives in libs/)', () => {
    // Resolved, not matched as text: '../../../../worker/src/…' from deep in apps/api names no "apps/" at all.
    const imports = /(?:from\s+|import\(\s*|require\(\s*)'(\.[^']*)'/g;
    const reaching = (from: string, to: string): string[] =>
      sources(join(root, from)).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(imports)]
          .filter((m) => !relative(join(root, to), resolve(dirname(f), m[1])).startsWith('..'))
          .map((m) => `${relative(root, f)} → ${m[1]}`),
      );
    expect(sources(join(root, 'apps/worker/src')).length).toBeGreaterThan(5);
    expect(reaching('apps/api/src', 'apps/worker')).toEqual([]);
    expect(reaching('apps/worker/src', 'apps/api')).toEqual([]);
  });

  it('keeps the read models below the apps and the workflows: libs/read-models imports from neither', () => {
    const upward = /(from\s+|import\(\s*|require\(\s*)'(@duban\/workflows\b|(\.\.\/)+(apps|workflows)\/)/;
    expect(sources(join(root, 'libs/read-models')).length).toBeGreaterThan(10);
    expect(offenders('libs/read-models', upward)).toEqual([]);
  });

  it('keeps projections off the write side: they read events only through the runner', () => {
    const projections = sources(join(root, 'libs/read-models/src')).filter((f) => f.endsWith('.projection.ts'));
    expect(projections.length).toBeGreaterThanOrEqual(4);
    for (const f of projections) expect(readFileSync(f, 'utf8')).not.toMatch(/FROM\s+events\b/i);
  });

  it('follows the log only through the subscription: nothing else reads it with the PostgreSQL-only readAllWith', () => {
    const allowed = ['libs/event-store/src/postgres/postgres-event-store.ts', 'libs/event-store/src/postgres/log-subscription.ts'];
    const users = ['apps', 'libs', 'workflows', 'bench'].flatMap((dir) => offenders(dir, /\breadAllWith\b/));
    expect(users.filter((at) => !allowed.includes(at.replace(/:\d+$/, '')))).toEqual([]);
  });

  it('has one write path: outside libs/domain and libs/application nothing decides (apps, workers, bench, test drivers)', () => {
    const decides = /[dD]ecider\.decide\(|\bdecide(Campaign|CadenceReport|Dispatch|Finding|InspectionDay)\(/;
    // The raw-append bench times the store alone: one decided payload, appended over and over. The claimed findings
    // that the forwarder and cutoff benches start from are decided and appended in one go (a dispatch through the
    // command path folds the campaign's notice stream: 20,000 would outlast the benches).
    const allowed = ['bench/event-store-appends.ts', 'bench/claimed-findings.ts'];
    const dirs = ['apps', 'libs/event-store', 'libs/read-models', 'libs/contracts', 'workflows/src', 'workflows/test', 'bench', 'tests/support'];
    const found = dirs.flatMap((dir) => offenders(dir, decides));
    expect(found.map((at) => at.replace(/:\d+$/, ''))).toContain(allowed[0]);
    expect(found.filter((at) => !allowed.includes(at.replace(/:\d+$/, '')))).toEqual([]);
    // Firing a finding's timer (the system command under the timer's key) is FindingTimers' alone.
    const firesTimer = /idempotencyKey: `\$\{findingId\}:\$\{timer\.key\}`/;
    expect(dirs.flatMap((dir) => offenders(dir, firesTimer))).toEqual([]);
    expect(offenders('libs/application', firesTimer).length).toBe(1);
  });

  it('holds every polling loop one way (Poller) and reads the log head only through the event-store port', () => {
    const holders = ['apps', 'libs', 'bench'].flatMap((dir) => offenders(dir, /new PollingLoop\(/));
    expect(holders.map((at) => at.replace(/:\d+$/, ''))).toEqual(['libs/event-store/src/polling-loop.ts']);
    const headSql = /FROM events\s+(--[^\n]*\n\s*)*ORDER BY[^`]*DESC[^`]*LIMIT 1\b/;
    const readers: string[] = [];
    for (const dir of ['apps', 'libs', 'bench', 'workflows/src', 'workflows/test', 'tests/support']) {
      for (const f of sources(join(root, dir))) if (headSql.test(readFileSync(f, 'utf8'))) readers.push(relative(root, f));
    }
    expect(readers).toEqual(['libs/event-store/src/postgres/postgres-event-store.ts']);
  });

  it('keeps product files under about 450 lines', () => {
    const files = ['apps', 'libs', 'workflows/src', 'infra', 'bench', 'scripts']
      .flatMap((dir) => sources(join(root, dir)))
      .filter((f) => !f.includes(`${join('', 'test', '')}`))
      // Generated from the OpenAPI document (apps/web/scripts/write-openapi.ts), never edited by hand.
      .filter((f) => relative(root, f) !== join('apps', 'web', 'src', 'api', 'schema.d.ts'));
    expect(files.length).toBeGreaterThan(150);
    const long = files
      .map((f) => ({ f: relative(root, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 460);
    expect(long).toEqual([]);
  });

  it('logs through pino, never the console, in product code', () => {
    for (const dir of ['apps', 'libs']) expect(offenders(dir, /console\.(log|error|warn|info)\(/)).toEqual([]);
  });

  it('never orders the log by a column the same query renames to text (it would sort "999" after "1000")', () => {
    const offenders: string[] = [];
    for (const dir of ['apps', 'libs']) {
      for (const f of sources(join(root, dir))) {
        const text = readFileSync(f, 'utf8');
        for (const query of text.match(/`[^`]*`/g) ?? []) {
          const renamed = [...query.matchAll(/::text\s+AS\s+"?(transaction_id|position)"?/gi)].map((m) => m[1]);
          for (const col of renamed) {
            if (new RegExp(`ORDER BY[^;]*?(?<![.\\w])${col}\\b`, 'i').test(query)) offenders.push(`${relative(root, f)}: ${col}`);
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
