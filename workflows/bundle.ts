import { join } from 'node:path';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** The workflow entry point and how the bundler finds `@duban/contracts` (the only library workflows may import). */
export const workflowBundleOptions = (): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> => ({
  workflowsPath: require.resolve(join(__dirname, 'src', 'index.ts')),
  webpackConfigHook: (config) => ({
    ...config,
    resolve: {
      ...config.resolve,
      alias: {
        ...(config.resolve?.alias as Record<string, string> | undefined),
        '@duban/contracts': join(__dirname, '..', 'libs', 'contracts', 'src'),
      },
    },
  }),
});

export const bundleWorkflows = (options: Partial<BundleOptions> = {}): Promise<WorkflowBundleWithSourceMap> =>
  bundleWorkflowCode({ ...workflowBundleOptions(), ...options });
