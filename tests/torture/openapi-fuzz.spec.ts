import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ApiHarness, startApi } from '../support/api-harness';
import { idempotencyKeys } from '../support/api-fixtures';
import { ROLE_USERS, seedFuzzCounty } from './support/fuzz-fixtures';
import { OpenApiDocument, resolve, validate } from './support/openapi-schema';
import { bodyText, FuzzRequest, KnownValues, Operation, operationsOf, requestArbitrary } from './support/openapi-requests';
import { KNOWN_5XX } from './support/known-5xx';

// Property-based fuzzing of every operation in the API's own OpenAPI document, with valid tokens of every role
// (and none): no 5xx, every response matches the status and schema the document declares, and no refused request
// (4xx) appends an event. `npm test` runs a bounded sample with a fixed seed; TORTURE=1 (`npm run torture`) a large
// one with a fresh seed, printed so a failure can be replayed with FUZZ_SEED.

const TORTURE = process.env.TORTURE === '1';
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? (TORTURE ? 450 : 40));
const SEED = Number(process.env.FUZZ_SEED ?? (TORTURE ? Date.now() % 2 ** 31 : 20261130));

interface Stats {
  seed: number;
  operations: number;
  requests: number;
  byStatus: Record<string, number>;
  /** Status counts per operation: which ones the fuzzer got past validation and authorisation. */
  byOperation: Record<string, Record<string, number>>;
  serverErrors: number;
  knownServerErrors: Record<string, number>;
  schemaViolations: number;
  appendsOnRefusal: number;
}

const key = idempotencyKeys('fuzz');

describe('OpenAPI fuzzing of every endpoint (real PostgreSQL, seeded demo county)', () => {
  let h: ApiHarness;
  let doc: OpenApiDocument;
  let known: KnownValues;
  let tokens: Record<string, string | null>;

  beforeAll(async () => {
    h = await startApi();
    doc = (await h.http().get('/api/docs-json')).body;
    tokens = Object.fromEntries(Object.entries(ROLE_USERS).map(([role, user]) => [role, user && h.token(user)]));
    known = await seedFuzzCounty(h, key);
  });
  afterAll(async () => h?.close());

  it('declares for every operation a success schema and the shared error schema for each error status', () => {
    const problems: string[] = [];
    for (const op of operationsOf(doc)) {
      const statuses = Object.keys(op.spec.responses);
      // A redirect (single sign-on's start) is that operation's success.
      const success = statuses.filter((s) => s.startsWith('2') || s.startsWith('3'));
      if (!success.length) problems.push(`${op.operationId}: no success response`);
      for (const status of statuses) {
        const content = op.spec.responses[status].content ?? {};
        const media = Object.keys(content);
        if (!media.length) problems.push(`${op.operationId} ${status}: no content declared`);
        for (const m of media) if (!content[m].schema) problems.push(`${op.operationId} ${status} ${m}: no schema`);
        if (Number(status) >= 400 && op.path !== '/health' && content['application/json']?.schema?.$ref !== '#/components/schemas/ErrorBody') {
          problems.push(`${op.operationId} ${status}: error not declared as ErrorBody`);
        }
      }
    }
    for (const [, name] of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      if (!doc.components?.schemas?.[name]) problems.push(`unresolved $ref ${name}`);
    }
    expect(operationsOf(doc).length).toBeGreaterThanOrEqual(65);
    expect(problems).toEqual([]);
  });

  it(
    `answers ${RUNS_PER_OPERATION} generated requests per operation without a 5xx, off-schema response or append on refusal`,
    async () => {
      const stats: Stats = { seed: SEED, operations: 0, requests: 0, byStatus: {}, byOperation: {}, serverErrors: 0, knownServerErrors: {}, schemaViolations: 0, appendsOnRefusal: 0 };
      const failures: string[] = [];
      let lastKey = key();
      const roles = Object.keys(ROLE_USERS);

      async function exercise(op: Operation, req: FuzzRequest): Promise<string[]> {
        const idem = req.idempotencyKey === 'fresh' ? key() : req.idempotencyKey === 'reuse' ? lastKey : req.idempotencyKey;
        if (req.idempotencyKey !== 'none') lastKey = idem;
        const before = await h.eventCount();
        const res = await send(h, req, tokens[req.role], req.idempotencyKey === 'none' ? null : idem);
        const appended = (await h.eventCount()) - before;
        stats.requests++;
        stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
        const perOp = (stats.byOperation[op.operationId] ??= {});
        perOp[res.status] = (perOp[res.status] ?? 0) + 1;
        const problems: string[] = [];
        if (res.status >= 500) {
          const cause = KNOWN_5XX.find((k) => k.matches(op, req));
          if (cause) {
            stats.knownServerErrors[cause.id] = (stats.knownServerErrors[cause.id] ?? 0) + 1;
            return [];
          }
          stats.serverErrors++;
          problems.push(`${res.status} ${res.text.slice(0, 200)}`);
        }
        if (res.status >= 400 && res.status < 500 && appended !== 0) {
          stats.appendsOnRefusal++;
          problems.push(`${res.status} appended ${appended} event(s)`);
        }
        // A 5xx is already a failure; its body says nothing about the declarations.
        const mismatch = res.status >= 500 ? [] : checkResponse(doc, op, res);
        if (mismatch.length) {
          stats.schemaViolations++;
          problems.push(...mismatch.slice(0, 5));
        }
        return problems;
      }

      // Ending the campaign refuses every later command on it: fuzz it last so the others still reach their handlers.
      const ops = operationsOf(doc).sort((a, b) => Number(a.operationId === 'endCampaign') - Number(b.operationId === 'endCampaign'));
      for (const [i, op] of ops.entries()) {
        stats.operations++;
        let lastProblems: string[] = [];
        const run = await fc.check(
          fc.asyncProperty(requestArbitrary(doc, op, roles, known), async (req) => {
            const problems = await exercise(op, req);
            if (problems.length) lastProblems = problems;
            return problems.length === 0;
          }),
          { numRuns: RUNS_PER_OPERATION, seed: SEED + i },
        );
        if (run.failed) {
          failures.push(`${op.operationId} (${op.method.toUpperCase()} ${op.path}): ${lastProblems.join('; ')}\n    ← ${fc.stringify(run.counterexample?.[0])}`);
        }
      }

      writeReport(stats);
      expect(failures).toEqual([]);
      expect(stats.requests).toBeGreaterThanOrEqual(stats.operations * RUNS_PER_OPERATION);
    },
    // A hang guard, not a speed check: the run is a fixed number of requests (about 30 ms each on an idle two-core
    // machine, several times that beside the rest of the suite), so the budget is generous.
    TORTURE ? 60 * 60_000 : 900_000,
  );
});

interface Sent {
  status: number;
  contentType: string;
  raw: Buffer;
  text: string;
}

async function send(h: ApiHarness, req: FuzzRequest, token: string | null, idempotencyKey: string | null): Promise<Sent> {
  const method = req.method as 'get' | 'post';
  let r = h.http()[method](req.path).query(req.query);
  if (token) r = r.set('Authorization', `Bearer ${token}`);
  if (idempotencyKey !== null) r = r.set('Idempotency-Key', idempotencyKey);
  if (req.body) r = r.set('Content-Type', req.contentType ?? 'application/json').send(bodyText(req.body));
  const res = await r.buffer(true).parse((stream, done) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => done(null, Buffer.concat(chunks)));
  });
  const raw = res.body as Buffer;
  return { status: res.status, contentType: String(res.headers['content-type'] ?? ''), raw, text: raw.toString('utf8') };
}

/** The response against what the document declares for this operation and status. */
function checkResponse(doc: OpenApiDocument, op: Operation, res: Sent): string[] {
  const declared = op.spec.responses[String(res.status)];
  if (!declared) return [`status ${res.status} not declared (declared: ${Object.keys(op.spec.responses).join(', ')}): ${res.text.slice(0, 160)}`];
  const content = declared.content ?? {};
  const media = res.contentType.split(';')[0].trim();
  if (!Object.keys(content).length) return res.raw.length ? [`${res.status}: a body where none is declared`] : [];
  if (!(media in content)) return [`${res.status}: content type ${media || '(none)'} not declared (${Object.keys(content).join(', ')})`];
  const schema = content[media].schema ?? {};
  if (media === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      return [`${res.status}: body is not JSON`];
    }
    return validate(doc, schema, body).map((e) => `${res.status} ${e}`);
  }
  return resolve(doc, schema).type === 'string' && res.raw.length === 0 ? [`${res.status}: empty ${media} document`] : [];
}

/** With TORTURE_REPORT_DIR set (by `npm run torture`), the counts go to a file for the one-line summary. */
function writeReport(stats: Stats): void {
  const dir = process.env.TORTURE_REPORT_DIR;
  const known = Object.values(stats.knownServerErrors).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `openapi-fuzz: seed ${stats.seed}, ${stats.operations} operations, ${stats.requests} requests, ${stats.serverErrors} 5xx` +
      ` (+${known} known: ${JSON.stringify(stats.knownServerErrors)}), ${stats.schemaViolations} schema violations,` +
      ` ${stats.appendsOnRefusal} appends on 4xx; by status ${JSON.stringify(stats.byStatus)}\n`,
  );
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'openapi-fuzz.json'),
    JSON.stringify({
      suite: 'openapi-fuzz',
      counts: {
        requests: stats.requests,
        '5xx': stats.serverErrors,
        'known 5xx': known,
        'schema violations': stats.schemaViolations,
        'appends on 4xx': stats.appendsOnRefusal,
      },
      details: stats,
    }),
  );
}
