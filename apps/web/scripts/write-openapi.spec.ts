import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The web client's types come from the API's OpenAPI document; a change to the API without regenerating fails here.
// The generator runs in its own Node process: openapi-typescript is an ES module Jest's runtime cannot load.
describe('the web client types (apps/web/src/api/schema.d.ts)', () => {
  it('are what the API document generates now', () => {
    const root = join(__dirname, '..', '..', '..');
    const r = spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'write-openapi.ts'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
