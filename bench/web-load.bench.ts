import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createApiApp } from '../apps/api/src/bootstrap';
import { seedDemo } from '../apps/api/src/cli/demo-seed';
import { ensureWebBuild, WEB_DIST } from '../infra/web/build';
import { say, startBenchServer, type BenchServer } from './support';

/**
 * The web app's first load on a phone: the gzip size of what the first route needs (index.html's entry script, its
 * module preloads and stylesheets), and the time until the sign-in page is usable (the demo people loaded, the
 * button enabled) under a phone profile — 4× CPU slowdown and a slow 4G network through the DevTools protocol —
 * against a blank page loaded under the same profile in the same run.
 */
const RUNS = Number(process.env.WEB_BENCH_RUNS ?? 5);
// DevTools' "Slow 4G": 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up.
const NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CPU_SLOWDOWN = 4;

export function firstLoadBytes(dist = WEB_DIST): { files: string[]; raw: number; gzip: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const files = [...new Set(refs)];
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(join(dist, f));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gzip };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runWebLoadBench(server: BenchServer): Promise<string> {
  ensureWebBuild((m) => say(`${m}\n`));
  const size = firstLoadBytes();
  const db = await server.database('bench_web');
  const app = await createApiApp(
    { adminDatabaseUrl: db.adminUrl, appDatabaseUrl: db.appUrl, port: 0, jwtSecret: 'bench-secret-bench-secret-bench-secret', logLevel: 'silent' },
    { logger: false },
  );
  await app.init();
  await seedDemo(app);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  // The baseline: a blank HTML page from a plain Node server, fetched under the same profile.
  const blank: Server = createServer((_, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>blank</title>'));
  await new Promise<void>((resolve) => blank.listen(0, '127.0.0.1', resolve));
  const blankUrl = `http://127.0.0.1:${(blank.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: process.env.DUBAN_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const load = async (url: string, ready: (page: import('playwright-core').Page) => Promise<unknown>) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, serviceWorkers: 'block' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.goto(url, { waitUntil: 'commit' });
    await ready(page);
    // From the navigation's start, in the page's own clock.
    const ms = (await page.evaluate('performance.now()')) as number;
    await context.close();
    return ms;
  };
  const blankMs: number[] = [];
  const appMs: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      blankMs.push(await load(blankUrl, (p) => p.waitForLoadState('load')));
      appMs.push(
        await load(`${base}/sign-in`, async (p) => {
          // Usable: the people are there to pick (the picker is enabled once they have loaded).
          await p.waitForFunction("document.querySelector('#dev-person:enabled option[value]:not([value=\\'\\'])') !== null", undefined, { timeout: 120_000 });
        }),
      );
    }
  } finally {
    await browser.close();
    blank.close();
    await app.close();
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  const b = median(blankMs);
  const a = median(appMs);
  return [
    `web first load (sign-in route): ${size.files.length} files, ${kb(size.raw)} raw, ${kb(size.gzip)} gzip`,
    `phone profile (${CPU_SLOWDOWN}× CPU, slow 4G ${NETWORK.latency} ms / 1.6 Mbit/s), median of ${RUNS}:`,
    `  blank page load     ${b.toFixed(0)} ms (baseline)`,
    `  app usable (TTI)    ${a.toFixed(0)} ms (${(a / b).toFixed(1)}× the blank page; runs ${appMs.map((x) => x.toFixed(0)).join(', ')} ms)`,
  ].join('\n');
}

if (require.main === module) {
  void (async () => {
    const server = await startBenchServer();
    try {
      say(`${await runWebLoadBench(server)}\n`);
    } finally {
      await server.stop();
    }
  })().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
