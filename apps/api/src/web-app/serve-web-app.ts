import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** The little of express's request and response the fallback uses (no @types/express here). */
interface PageRequest {
  method: string;
  path: string;
  accepts(types: string | string[]): string | false;
}
interface PageResponse {
  setHeader(name: string, value: string): void;
  sendFile(path: string): void;
}

/** Where `vite build` writes apps/web; DUBAN_WEB_DIST points elsewhere (a deployment's copy). */
export const defaultWebDist = (env: NodeJS.ProcessEnv = process.env): string =>
  env.DUBAN_WEB_DIST?.trim() || resolve(__dirname, '..', '..', '..', 'web', 'dist');

/**
 * The first path segments the API answers under, from its OpenAPI paths (`/findings/{findingId}/claim` → `findings`),
 * plus the docs. A browser's page load under one of these is the API's to answer, whatever it accepts.
 */
export function apiPrefixes(paths: readonly string[]): Set<string> {
  const prefixes = new Set(['api']);
  for (const p of paths) {
    const first = p.split('/').filter(Boolean)[0];
    if (first) prefixes.add(first);
  }
  return prefixes;
}

/**
 * One URL serves everything: the built web app's files, and its index.html for any page load (GET/HEAD that accepts
 * HTML) whose first segment is not an API route's, so a reload on `/office/dispatch` opens the app while
 * `/findings/…` stays JSON. Without a build (tests of the API alone, `npm start` before its first build) nothing
 * is mounted. `webDist: null` turns it off.
 */
export function serveWebApp(app: INestApplication, documentedPaths: readonly string[], webDist?: string | null): boolean {
  const dist = webDist === undefined ? defaultWebDist() : webDist;
  if (!dist || !existsSync(join(dist, 'index.html'))) return false;
  const prefixes = apiPrefixes(documentedPaths);
  const index = join(dist, 'index.html');
  // Hashed assets never change under their name; index.html and the service worker must be fetched afresh.
  const server = app as NestExpressApplication;
  server.useStaticAssets(join(dist, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d' });
  server.useStaticAssets(dist, { index: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') });
  app.use((req: PageRequest, res: PageResponse, next: () => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const first = req.path.split('/').filter(Boolean)[0] ?? '';
    if (prefixes.has(first) || !req.accepts('html') || req.accepts(['json', 'html']) === 'json') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
