import * as domain from '@duban/domain';

describe('@duban/domain public API', () => {
  it('exposes deciders, calendar, policy and errors through the path alias', () => {
    expect(typeof domain.decide).toBe('function');
    expect(typeof domain.evolve).toBe('function');
    expect(domain.initialState()).toEqual({ status: 'Empty' });
    expect(typeof domain.decideCampaign).toBe('function');
    expect(typeof domain.deadlineFor).toBe('function');
    expect(new domain.WorkdayCalendar().isWorkday('2026-10-08')).toBe(true);
    expect(domain.DEFAULT_POLICY.deadlineWorkdays.red).toBe(3);
    expect(new domain.InvalidStateError('X', '状态不允许').kind).toBe('invalid_state');
    expect(new domain.ForbiddenError('X', 'UNIT_SCOPE', '禁止')).toBeInstanceOf(domain.DomainError);
    expect(domain.FINDING_EVENT_TYPES).toContain('FindingReopened');
  });
});
