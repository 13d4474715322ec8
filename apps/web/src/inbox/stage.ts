import type { Finding } from '../api/client';

export interface Stage {
  color: 'red' | 'gold' | 'blue';
  label: string;
}

/**
 * Where a finding stands on the ladder, in the county's colours: red once overdue (the notice → interview →
 * accountability rungs follow), yellow when due today or on the next workday, blue while there is time.
 */
export function stageOf(f: Pick<Finding, 'overdue' | 'daysOverdue' | 'dueDate'>, workdaysLeft: number | undefined): Stage {
  if (f.overdue) return { color: 'red', label: `已逾期 ${f.daysOverdue} 天` };
  if (!f.dueDate) return { color: 'blue', label: '未定期限' };
  if (workdaysLeft === undefined) return { color: 'blue', label: `期限 ${f.dueDate}` };
  if (workdaysLeft <= 1) return { color: 'gold', label: workdaysLeft === 0 ? '今日到期' : '剩 1 个工作日' };
  return { color: 'blue', label: `剩 ${workdaysLeft} 个工作日` };
}
