import { accessSync, constants } from 'node:fs';
import { isAbsolute } from 'node:path';
import { createDevServerEnv, createTimeSkippingEnv } from '../support/temporal';

/**
 * The Temporal servers the workflow tests run on, from the binaries infra/temporal provisioned without the
 * internet: each starts, answers, and goes away quickly.
 */
describe('Temporal servers for tests (infra/temporal)', () => {
  it('the global setup hands test files absolute paths to both executables', () => {
    for (const variable of ['DUBAN_TEMPORAL_TEST_SERVER', 'DUBAN_TEMPORAL_CLI']) {
      const path = process.env[variable];
      expect(path && isAbsolute(path)).toBeTruthy();
      expect(() => accessSync(path!, constants.X_OK)).not.toThrow();
    }
  });

  it('the time-skipping test server answers and moves its clock a day without waiting a day', async () => {
    const env = await createTimeSkippingEnv();
    try {
      expect(env.supportsTimeSkipping).toBe(true);
      await expect(env.connection.workflowService.getSystemInfo({})).resolves.toBeDefined();
      const before = await env.currentTimeMs();
      const wallBefore = Date.now();
      await env.sleep('1 day');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(24 * 3600_000);
      expect(Date.now() - wallBefore).toBeLessThan(5_000);
    } finally {
      const t = Date.now();
      await env.teardown();
      expect(Date.now() - t).toBeLessThan(5_000);
    }
  });

  it('the dev server answers, with the default namespace and workflow listing the test server lacks', async () => {
    const env = await createDevServerEnv();
    try {
      expect(env.supportsTimeSkipping).toBe(false);
      const service = env.connection.workflowService;
      await expect(service.getSystemInfo({})).resolves.toBeDefined();
      const ns = await service.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
      const listed = await service.listWorkflowExecutions({ namespace: 'default', query: '' });
      expect(listed.executions).toEqual([]);
    } finally {
      const t = Date.now();
      await env.teardown();
      expect(Date.now() - t).toBeLessThan(5_000);
    }
  });
});
