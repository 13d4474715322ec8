/** The origin finding's 举一反三 fan-out as the API gives it (GET /findings/{id} → propagation). */
export interface FanOut {
  unitsAsked: number;
  unitsAttested: number;
  problemsFound: number;
  overdueTasks: number;
}

/** One line for the finding page: units attested / asked, problems found, tasks past due unsigned. */
export const fanOutText = (p: FanOut): string =>
  `已签字 ${p.unitsAttested}/${p.unitsAsked} 个单位，自查发现问题 ${p.problemsFound} 个` + (p.overdueTasks > 0 ? `，${p.overdueTasks} 个单位超期未签` : '');

/** Whole percent of units that have signed, for the progress bar. */
export const fanOutPercent = (p: FanOut): number => (p.unitsAsked > 0 ? Math.round((p.unitsAttested / p.unitsAsked) * 100) : 0);
