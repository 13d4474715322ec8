import { accessSync, constants } from 'node:fs';
import { isAbsolute } from 'node:path';
import { createDevServerEnv, createTimeSkippingEnv } from '../support/temporal';

/**
 * The Temporal servers the workflow tests run on, from the binaries infra/temporal provisioned without the
 * internet: each starts, answers, and goes away. How long that takes is reported, not asserted: a slower machine is
 * no failure (speed is measured in bench/).
 */
describe('Temporal servers for tests (infra/temporal)', () => {
  const timings: string[] = [];
  const timed = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    const started = process.hrtime.bigint();
    const result = await run();
    timings.push(`${what}: ${Number((process.hrtime.bigint() - started) / 1_000_000n)} ms`);
    return result;
  };
  afterAll(() => {
    process.stdout.write(`Temporal servers — ${timings.join('; ')}\n`);
  });

  it('the global setup hands test files absolute paths to both executables', () => {
    for (const variable of ['DUBAN_TEMPORAL_TEST_SERVER', 'DUBAN_TEMPORAL_CLI']) {
      const path = process.env[variable];
      expect(path && isAbsolute(path)).toBeTruthy();
      expect(() => accessSync(path!, constants.X_OK)).not.toThrow();
    }
  });

  it('the time-skipping test server answers and moves its clock a day without waiting a day', async () => {
    const env = await timed('time-skipping server start', () => createTimeSkippingEnv());
    try {
      expect(env.supportsTimeSkipping).toBe(true);
      await expect(env.connection.workflowService.getSystemInfo({})).resolves.toBeDefined();
      const before = await env.currentTimeMs();
      // Within the test's timeout, so the day was skipped, not waited for.
      await timed('a day skipped', () => env.sleep('1 day'));
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(24 * 3600_000);
    } finally {
      await timed('time-skipping server teardown', () => env.teardown());
    }
    // Gone: its port no longer answers.
    await expect(env.connection.workflowService.getSystemInfo({})).rejects.toThrow();
  });

  it('the dev server answers, with the default namespace and workflow listing the test server lacks', async () => {
    const env = await timed('dev server start', () => createDevServerEnv());
    try {
      expect(env.supportsTimeSkipping).toBe(false);
      const service = env.connection.workflowService;
      await expect(service.getSystemInfo({})).resolves.toBeDefined();
      const ns = await service.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
      const listed = await service.listWorkflowExecutions({ namespace: 'default', query: '' });
      expect(listed.executions).toEqual([]);
    } finally {
      await timed('dev server teardown', () => env.teardown());
    }
    await expect(env.connection.workflowService.getSystemInfo({})).rejects.toThrow();
  });
});
