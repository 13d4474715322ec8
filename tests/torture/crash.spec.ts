import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CrashRunReport } from './crash/crash-run';

/** In a process of its own: it starts its own PostgreSQL (an ES module Jest's sandbox cannot load) and kills things. */
const runCrash = (seconds: number, clients: number, killEveryMs: number): Promise<CrashRunReport> =>
  new Promise((resolve, reject) => {
    const root = join(__dirname, '..', '..');
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'crash', 'crash-run.ts'), String(seconds), String(clients), String(killEveryMs)],
      { cwd: root, env: process.env, maxBuffer: 64 * 1024 * 1024, timeout: (seconds + 540) * 1000 },
      (err, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('CRASH_RUN_REPORT '));
        if (line) resolve(JSON.parse(line.slice('CRASH_RUN_REPORT '.length)));
        else reject(new Error(`the crash run ended without a report (${err?.message ?? 'no error'}):\n${stderr.slice(-4000)}`));
      },
    );
  });

/**
 * The crash run (tests/torture/crash/crash-run.ts): the API, the worker and PostgreSQL SIGKILLed in turn under load,
 * then nothing lost, nothing twice. Short inside `npm test`; `npm run torture` (TORTURE=1) runs it longer.
 */
const long = process.env.TORTURE === '1';
const options = long ? { seconds: 150, clients: 6, killEveryMs: 5_000 } : { seconds: 24, clients: 3, killEveryMs: 4_000 };

describe(`crash run: ${options.seconds} s of load, a SIGKILL every ${options.killEveryMs / 1000} s (real processes, PostgreSQL of its own)`, () => {
  let report: CrashRunReport;

  beforeAll(async () => {
    report = await runCrash(options.seconds, options.clients, options.killEveryMs);
    process.stdout.write(`crash run: ${JSON.stringify({ ...report, chains: { ...report.chains, breaks: report.chains.breaks.length } })}\n`);
    // For `npm run torture`'s summary line (scripts/torture.mjs sums the counts of every suite by name).
    const dir = process.env.TORTURE_REPORT_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      const counts = {
        'commands acknowledged': report.commandsAcknowledged,
        SIGKILLs: report.kills.api + report.kills.worker + report.kills.postgres,
        lost: report.lost.length,
        duplicated: report.duplicated.length,
        '5xx': report.other5xx.length,
        'chain breaks': report.chains.breaks.length,
        'workflows behind': report.workflowsBehind.length,
        'consequences twice': report.consequencesTwice.length,
        'projections differing': report.projectionsDiffering.length,
      };
      writeFileSync(join(dir, 'crash.json'), JSON.stringify({ suite: 'crash run', counts }));
    }
  }, (options.seconds + 600) * 1000);

  it('killed each of the API, the worker and PostgreSQL at least once while commands were acknowledged', () => {
    expect(report.kills.api).toBeGreaterThanOrEqual(1);
    expect(report.kills.worker).toBeGreaterThanOrEqual(1);
    expect(report.kills.postgres).toBeGreaterThanOrEqual(1);
    expect(report.commandsAcknowledged).toBeGreaterThan(20); // MIN_ACKNOWLEDGED in crash-run.ts
    expect(report.openFindings).toBeGreaterThan(0);
  });

  it('lost no acknowledged command and wrote none twice', () => {
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
  });

  it('answered 503 while a part was down, never another 5xx', () => {
    expect(report.other5xx).toEqual([]);
  });

  it('keeps every chain whole and signed, and the Merkle log over all of it', () => {
    expect(report.chains).toMatchObject({ ok: true, breaks: [] });
    expect(report.chains.signedEvents).toBe(report.chains.events);
    expect(report.merkleLog.ok).toBe(true);
    expect(report.merkleLog.leaves).toBeGreaterThanOrEqual(report.chains.events);
  });

  it("brings every finding's workflow to its stream's last version, and every due consequence exactly once", () => {
    expect(report.workflowsBehind).toEqual([]);
    expect(report.consequencesTwice).toEqual([]);
    expect(report.laddersIncomplete).toEqual([]);
  });

  it('leaves every projection equal to its rebuild', () => {
    expect(report.projectionsDiffering).toEqual([]);
  });
});
