import { forwardsToWorkflow } from './temporal-forwarder';

describe('which events the forwarder sends to a finding workflow', () => {
  const stream = 'finding-6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11';

  it('person-signed steps, an imported open finding among them (its dispatch SLA runs)', () => {
    expect(forwardsToWorkflow({ streamId: stream, type: 'FindingRecorded' })).toBe(true);
    expect(forwardsToWorkflow({ streamId: stream, type: 'FindingClaimed' })).toBe(true);
  });

  it('not a timer’s own consequence, not another stream, and not closed history from a county’s sheet', () => {
    expect(forwardsToWorkflow({ streamId: stream, type: 'FindingOverdue' })).toBe(false);
    expect(forwardsToWorkflow({ streamId: 'campaign-c1', type: 'CampaignCreated' })).toBe(false);
    expect(forwardsToWorkflow({ streamId: stream, type: 'FindingImported' })).toBe(false);
  });

  it('not a step that moves no timer: a plan of measures, an extension requested or refused, an acknowledgement', () => {
    for (const type of ['RectificationPlanSubmitted', 'ExtensionRequested', 'ExtensionRefused', 'EscalationAcknowledged']) {
      expect(forwardsToWorkflow({ streamId: stream, type })).toBe(false);
    }
    for (const type of ['ProgressReported', 'ExtensionGranted', 'RectificationSubmitted', 'FindingReassigned']) {
      expect(forwardsToWorkflow({ streamId: stream, type })).toBe(true);
    }
  });

  it('a 举一反三 task’s signed steps go to its own workflow; its overdue record does not', () => {
    const task = 'selfcheck-6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11-town-01';
    expect(forwardsToWorkflow({ streamId: task, type: 'SelfCheckRequested' })).toBe(true);
    expect(forwardsToWorkflow({ streamId: task, type: 'SelfCheckAttested' })).toBe(true);
    expect(forwardsToWorkflow({ streamId: task, type: 'SelfCheckOverdue' })).toBe(false);
    expect(forwardsToWorkflow({ streamId: 'propagation-6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11', type: 'PropagationLaunched' })).toBe(false);
  });
});
