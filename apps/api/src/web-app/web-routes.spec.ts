import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiPrefixes } from './serve-web-app';

const root = join(__dirname, '..', '..', '..', '..');

/**
 * The API answers every request under one of its own first path segments, so a web page whose path starts with one
 * (the app's unit inbox once sat at `/inbox`, which `GET /inbox` — the notices — later took) reloads as JSON.
 */
describe('the web app and the API share one URL', () => {
  it('gives no page of the web app a first path segment the API answers under', () => {
    const routes = [...readFileSync(join(root, 'apps/web/src/routes.tsx'), 'utf8').matchAll(/<Route path="\/([^"/]*)/g)].map((m) => m[1]);
    expect(routes.length).toBeGreaterThan(10);
    // The generated client's paths are the API document's (a staleness test keeps them so).
    const paths = [...readFileSync(join(root, 'apps/web/src/api/schema.d.ts'), 'utf8').matchAll(/^ {4}"(\/[^"]*)": \{/gm)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(50);
    const api = apiPrefixes(paths);
    expect(routes.filter((r) => r && api.has(r))).toEqual([]);
  });
});
