import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface TestProvider {
  issuer: string;
  /**
   * Plays the browser from the provider's authorization URL: signs in as `accountId` on the development login
   * screen, consents, and returns the redirect back to the client (code, state) without following it.
   */
  authorize(authorizationUrl: string, accountId: string): Promise<URL>;
  stop(): Promise<void>;
}

/** Starts oidc-provider in a child process (see oidc-provider-main.mjs) and waits for it to listen. */
export async function startTestProvider(config: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accounts: Record<string, Record<string, unknown>>;
}): Promise<TestProvider> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider-main.mjs')], {
    env: { ...process.env, OIDC_TEST_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`OpenID provider exited (${code}): ${stderr}`)));
  });

  async function authorize(authorizationUrl: string, accountId: string): Promise<URL> {
    const jar = new Map<string, string>();
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let url = new URL(authorizationUrl);
    let body: URLSearchParams | null = null;
    for (let step = 0; step < 20; step++) {
      const res = await fetch(url, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: cookie(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: body ?? undefined,
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
      body = null;
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, url);
        if (next.origin !== issuer) return next;
        url = next;
        continue;
      }
      const html = await res.text();
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (res.status !== 200 || !prompt) throw new Error(`unexpected provider page ${res.status} at ${url}: ${html.slice(0, 300)}`);
      body = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt });
    }
    throw new Error('the provider never redirected back');
  }

  return {
    issuer,
    authorize,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
