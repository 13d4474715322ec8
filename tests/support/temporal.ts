import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LocalTestWorkflowEnvironmentOptions, TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ensureTemporalCli, ensureTestServer } from '../../infra/temporal/provision';

/**
 * Temporal environments for test files, on the binaries the Jest global setup provisioned (infra/temporal): the SDK's
 * own download would need the internet. Both servers listen on a free port of their own, so test files in parallel
 * workers do not collide. Call `await env.teardown()` in afterAll.
 */

/** The SDK logs through the Runtime; one quiet Runtime per test file (Jest gives each file its own module registry). */
export function quietTemporalRuntime(): void {
  if (Runtime._instance === undefined) Runtime.install({ logger: new DefaultLogger('WARN') });
}

/**
 * The time-skipping test server: timers fire as soon as nothing else is going on, `env.sleep()` moves the clock.
 * It has no Schedules and no workflow listing: test those against createDevServerEnv().
 */
export async function createTimeSkippingEnv(
  server: Omit<NonNullable<TimeSkippingTestWorkflowEnvironmentOptions['server']>, 'executable'> = {},
): Promise<TestWorkflowEnvironment> {
  quietTemporalRuntime();
  // Honours DUBAN_TEMPORAL_TEST_SERVER, which the global setup exports; provisions only when run without it.
  const path = await ensureTestServer();
  return TestWorkflowEnvironment.createTimeSkipping({ server: { ...server, executable: { type: 'existing-path', path } } });
}

/** A real Temporal dev server (in memory, headless, a free port): Schedules, listing, the full server behaviour. */
export async function createDevServerEnv(
  server: Omit<NonNullable<LocalTestWorkflowEnvironmentOptions['server']>, 'executable'> = {},
): Promise<TestWorkflowEnvironment> {
  quietTemporalRuntime();
  const path = await ensureTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    // The server writes to the test output directly: warnings (a generated cluster id) are noise there.
    server: { log: { format: 'pretty', level: 'error' }, ...server, executable: { type: 'existing-path', path } },
  });
}
