import { join } from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../bundle';
import { quietTemporalRuntime } from '../../tests/support/temporal';
import { workflowBundle } from '../../tests/support/workflow-bundle';
import { recordedHistories } from './histories';

/**
 * The histories recorded from the time-skipping scenarios (workflows/histories: the finding workflow's, the cadence
 * workflow's from cadence.workflow.spec.ts, the self-check workflow's from self-check.workflow.spec.ts) replay against
 * today's workflow code. A change that would make running workflows non-deterministic fails here, before it reaches a
 * worker.
 */
describe('workflow replay (finding, cadence and self-check workflows)', () => {
  const histories = recordedHistories();
  beforeAll(() => quietTemporalRuntime());

  it('has the recorded scenarios to replay', () => {
    expect(histories.map((h) => h.name)).toEqual(
      expect.arrayContaining([
        'close-and-look-back',
        'extension-cancels-ladder',
        'forwarder-redelivery',
        'ladder-with-restart',
        'reassignment',
        // The same scenarios with the plan carried in signals and timer results (no plan activity).
        'carried-plan-close-and-look-back',
        'carried-plan-extension-cancels-ladder',
        'carried-plan-forwarder-redelivery',
        'carried-plan-ladder-with-restart',
        'carried-plan-reassignment',
        // The same again with the daily report left to the campaign's cutoff sweep (patch `daily-reports-swept`).
        'swept-close-and-look-back',
        'swept-extension-cancels-ladder',
        'swept-forwarder-redelivery',
        'swept-ladder-with-restart',
        'swept-reassignment',
        // The cadence: a rest day skipped, a daily inspection that records misses and publishes, a run deferred to the
        // week's first workday (a timer, then a second plan).
        'cadence-skipped',
        'cadence-inspection',
        'cadence-deferred',
        // 举一反三: a claimed self-check left unsigned, its deadline then each rung of the ladder (the notice with the
        // overdue record, the interview, the referral), and the end.
        'self-check-ladder',
      ]),
    );
  });

  it.each(histories.map((h) => [h.name, h] as const))('replays %s deterministically', async (_name, { name, history }) => {
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, name)).resolves.toBeUndefined();
  });

  it.each([
    ['ladder-with-restart', 'a timer before the first plan'],
    ['cadence-inspection', 'publishing before the missed reports are recorded'],
  ])('rejects a workflow edit that reorders what %s recorded (%s)', async (name) => {
    const reordered = await bundleWorkflows({
      workflowsPath: require.resolve(join(__dirname, 'fixtures', 'reordered.workflow.ts')),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
    });
    const { history } = histories.find((h) => h.name === name)!;
    await expect(Worker.runReplayHistory({ workflowBundle: reordered }, history, name)).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
