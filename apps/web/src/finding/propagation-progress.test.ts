import { describe, expect, it } from 'vitest';
import { fanOutPercent, fanOutText } from './propagation-progress';

describe('the origin finding’s 举一反三 progress', () => {
  it('says units attested / asked and problems found; the overdue only when there are some', () => {
    expect(fanOutText({ unitsAsked: 3, unitsAttested: 2, problemsFound: 2, overdueTasks: 0 })).toBe('已签字 2/3 个单位，自查发现问题 2 个');
    expect(fanOutText({ unitsAsked: 3, unitsAttested: 2, problemsFound: 0, overdueTasks: 1 })).toBe('已签字 2/3 个单位，自查发现问题 0 个，1 个单位超期未签');
  });
  it('the bar’s percent', () => {
    expect(fanOutPercent({ unitsAsked: 3, unitsAttested: 2, problemsFound: 0, overdueTasks: 0 })).toBe(67);
    expect(fanOutPercent({ unitsAsked: 0, unitsAttested: 0, problemsFound: 0, overdueTasks: 0 })).toBe(0);
  });
});
