import type { WorkflowBundleOption } from '@temporalio/worker';
import { bundleWorkflows } from '../../workflows/bundle';

/**
 * The workflow code, bundled once per test run by the Jest global setup (DUBAN_WORKFLOW_BUNDLE); a test file run on
 * its own bundles for itself.
 */
export async function workflowBundle(): Promise<WorkflowBundleOption> {
  const codePath = process.env.DUBAN_WORKFLOW_BUNDLE;
  if (codePath) return { codePath };
  return bundleWorkflows({ logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never });
}
