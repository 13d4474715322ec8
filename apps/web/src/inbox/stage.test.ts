import { describe, expect, it } from 'vitest';
import { stageOf } from './stage';

describe('the ladder stage an official sees', () => {
  it('is red once overdue, whatever the calendar says', () => {
    expect(stageOf({ overdue: true, daysOverdue: 3, dueDate: '2026-11-20' }, 0)).toEqual({ color: 'red', label: '已逾期 3 天' });
  });
  it('is yellow on the due day and the workday before', () => {
    expect(stageOf({ overdue: false, daysOverdue: 0, dueDate: '2026-11-23' }, 0).label).toBe('今日到期');
    expect(stageOf({ overdue: false, daysOverdue: 0, dueDate: '2026-11-24' }, 1).color).toBe('gold');
  });
  it('is blue with the workdays left while there is time', () => {
    expect(stageOf({ overdue: false, daysOverdue: 0, dueDate: '2026-12-04' }, 5)).toEqual({ color: 'blue', label: '剩 5 个工作日' });
  });
});
