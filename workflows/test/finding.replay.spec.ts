import { join } from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../bundle';
import { quietTemporalRuntime } from '../../tests/support/temporal';
import { workflowBundle } from '../../tests/support/workflow-bundle';
import { recordedHistories } from './histories';

/**
 * The histories recorded from the time-skipping scenarios (workflows/histories) replay against today's workflow code.
 * A change that would make running workflows non-deterministic fails here, before it reaches a worker.
 */
describe('finding workflow replay', () => {
  const histories = recordedHistories();
  beforeAll(() => quietTemporalRuntime());

  it('has the recorded scenarios to replay', () => {
    expect(histories.map((h) => h.name)).toEqual(
      expect.arrayContaining(['close-and-look-back', 'extension-cancels-ladder', 'forwarder-redelivery', 'ladder-with-restart', 'reassignment']),
    );
  });

  it.each(histories.map((h) => [h.name, h] as const))('replays %s deterministically', async (_name, { name, history }) => {
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `finding-${name}`)).resolves.toBeUndefined();
  });

  it('rejects a workflow edit that reorders what the history recorded', async () => {
    const reordered = await bundleWorkflows({
      workflowsPath: require.resolve(join(__dirname, 'fixtures', 'reordered.workflow.ts')),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
    });
    const { history } = histories.find((h) => h.name === 'ladder-with-restart')!;
    await expect(Worker.runReplayHistory({ workflowBundle: reordered }, history, 'finding-ladder')).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});
