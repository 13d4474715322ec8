import { useQueries, useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';

/** The workday calendar's due date for N workdays from now (or `from`), under the campaign's calendar. */
export const useDueDate = (workdays: number | undefined, campaignId: string | undefined, from?: string) =>
  useQuery({
    queryKey: ['due-date', workdays, campaignId, from ?? 'now'],
    enabled: !!workdays && !!campaignId,
    queryFn: () => ok(api.GET('/calendar/due-date', { params: { query: { workdays: workdays!, campaignId: campaignId!, ...(from ? { from } : {}) } } })),
  });

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** Today in Asia/Shanghai, the county's day. */
export const todayInChina = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Workdays left until a due date (the due day counted, today not), from the calendar API's day kinds; negative
 * numbers are not computed: past due is "overdue".
 */
export function useWorkdaysLeft(dueDates: Array<string | null>): Map<string, number> {
  const today = todayInChina();
  const future = dueDates.filter((d): d is string => !!d && d > today);
  const last = future.sort().at(-1);
  const span: string[] = [];
  if (last) for (let d = addDays(today, 1); d <= last && span.length < 120; d = addDays(d, 1)) span.push(d);
  const days = useQueries({
    queries: span.map((date) => ({
      queryKey: ['day', date],
      staleTime: Infinity,
      queryFn: () => ok(api.GET('/calendar/days/{date}', { params: { path: { date } } })),
    })),
  });
  const left = new Map<string, number>();
  if (days.some((d) => !d.data)) return left;
  for (const due of new Set(dueDates)) {
    if (!due) continue;
    left.set(due, due <= today ? 0 : span.filter((d, i) => d <= due && days[i].data!.workday).length);
  }
  return left;
}
