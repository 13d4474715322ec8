import { InvalidInputError } from '../shared/errors';
import { addDays, compareLocalDates, isLocalDate, type LocalDate } from '../shared/local-date';

export const PHASE_CODES = ['inspection', 'rectification', 'improvement'] as const;
export type PhaseCode = (typeof PHASE_CODES)[number];

export const PHASE_NAMES: Record<PhaseCode, string> = {
  inspection: '排查',
  rectification: '集中整改',
  improvement: '提升',
};

export type CampaignPhase = {
  code: PhaseCode;
  name: string;
  startDate: LocalDate;
  endDate: LocalDate;
};

/**
 * Phases must tile the campaign without gaps, in the canonical order, because deadlines are capped by
 * "the phase containing t" and a gap would leave a deadline with no cap.
 * A campaign may skip a phase (e.g. no improvement phase) but never reorder them.
 */
export const validatePhases = (phases: readonly CampaignPhase[]): CampaignPhase[] => {
  if (!Array.isArray(phases) || phases.length === 0) {
    throw new InvalidInputError('PHASES_REQUIRED', 'phases', '专项行动至少需要一个阶段');
  }
  let lastOrder = -1;
  return phases.map((phase, i) => {
    const field = `phases[${i}]`;
    const code: PhaseCode = phase?.code;
    const order = PHASE_CODES.indexOf(code);
    if (order < 0) {
      throw new InvalidInputError('INVALID_PHASE', `${field}.code`, `未知阶段：${String(phase?.code)}`);
    }
    if (order <= lastOrder) {
      throw new InvalidInputError('PHASES_OUT_OF_ORDER', `${field}.code`, '阶段应按 排查 → 集中整改 → 提升 顺序且不重复');
    }
    lastOrder = order;
    if (!isLocalDate(phase.startDate) || !isLocalDate(phase.endDate)) {
      throw new InvalidInputError('INVALID_DATE', field, '阶段起止日期格式应为 YYYY-MM-DD');
    }
    if (compareLocalDates(phase.startDate, phase.endDate) > 0) {
      throw new InvalidInputError('PHASE_ENDS_BEFORE_START', field, `阶段“${phase.name}”结束日期早于开始日期`);
    }
    if (i > 0 && phase.startDate !== addDays(phases[i - 1].endDate, 1)) {
      throw new InvalidInputError(
        'PHASES_NOT_CONTIGUOUS',
        `${field}.startDate`,
        `阶段应首尾相接：${phases[i - 1].endDate} 之后应从 ${addDays(phases[i - 1].endDate, 1)} 开始`,
      );
    }
    const name = typeof phase.name === 'string' && phase.name.trim() ? phase.name.trim() : PHASE_NAMES[code];
    return { code, name, startDate: phase.startDate, endDate: phase.endDate };
  });
};

/**
 * The phase that caps a deadline starting on `date`: the one containing it; before the campaign the first
 * phase; after the last phase none (look-back work after a campaign is not capped).
 */
export const phaseForCap = (phases: readonly CampaignPhase[], date: LocalDate): CampaignPhase | null => {
  if (phases.length === 0) return null;
  if (compareLocalDates(date, phases[0].startDate) < 0) return phases[0];
  return (
    phases.find((p) => compareLocalDates(p.startDate, date) <= 0 && compareLocalDates(date, p.endDate) <= 0) ?? null
  );
};

export const phaseContaining = (phases: readonly CampaignPhase[], date: LocalDate): CampaignPhase | null =>
  phases.find((p) => compareLocalDates(p.startDate, date) <= 0 && compareLocalDates(date, p.endDate) <= 0) ?? null;
