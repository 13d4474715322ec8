import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { requestLogOptions } from './request-log';

/** The request log line over a real HTTP server: compact, correlated, and without the headers or sign-in secrets. */
describe('the request log', () => {
  const lines: Array<Record<string, unknown>> = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = pinoHttp({ ...requestLogOptions('info'), logger: pino({ level: 'info' }, sink) });
    server = createServer((req, res) => {
      logger(req, res);
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const lineFor = async (url: string): Promise<Record<string, unknown>> => {
    const until = Date.now() + 5_000;
    for (;;) {
      const found = lines.find((l) => (l.req as { url?: string } | undefined)?.url === url);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no log line for ${url}`);
      await new Promise((r) => setImmediate(r));
    }
  };

  it('names the method, path, status, time and the correlation id the client sent, and nothing of the headers', async () => {
    const res = await fetch(`${base}/findings?pageSize=50`, { headers: { authorization: 'Bearer secret-token', 'x-correlation-id': 'corr-1234' } });
    expect(res.headers.get('x-correlation-id')).toBe('corr-1234');
    const line = await lineFor('/findings?pageSize=50');
    expect(line).toMatchObject({ correlationId: 'corr-1234', req: { method: 'GET', url: '/findings?pageSize=50' }, res: { statusCode: 200 } });
    expect(typeof line.responseTime).toBe('number');
    expect(JSON.stringify(line)).not.toMatch(/secret-token|authorization|headers/i);
  });

  it('mints a correlation id when the client sent none or an unusable one', async () => {
    const res = await fetch(`${base}/missing`, { headers: { 'x-correlation-id': 'not ok!' } });
    const id = res.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await lineFor('/missing')).toMatchObject({ correlationId: id, res: { statusCode: 404 } });
  });

  it("withholds the single sign-on callback's query (the provider's code, our state)", async () => {
    await fetch(`${base}/auth/oidc/callback?code=abc123&state=xyz`);
    const line = await lineFor('/auth/oidc/callback?[redacted]');
    expect(JSON.stringify(line)).not.toMatch(/abc123|xyz/);
  });

  it('leaves /health out', async () => {
    await fetch(`${base}/health`);
    // A request after it is logged once the /health one would have been.
    await fetch(`${base}/after-health`);
    await lineFor('/after-health');
    expect(lines.some((l) => (l.req as { url?: string } | undefined)?.url === '/health')).toBe(false);
  });
});
