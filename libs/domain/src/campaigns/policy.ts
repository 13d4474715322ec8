import { InvalidInputError } from '../shared/errors';
import { isLocalTime, type LocalTime } from '../shared/local-date';

export const SEVERITIES = ['red', 'yellow', 'blue'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = { red: '红色', yellow: '黄色', blue: '蓝色' };

export const isSeverity = (value: unknown): value is Severity =>
  typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);

export const requireSeverity = (value: unknown, field: string): Severity => {
  if (!isSeverity(value)) {
    throw new InvalidInputError('INVALID_SEVERITY', field, `问题等级应为 红/黄/蓝：${String(value)}`);
  }
  return value;
};

/** Per-campaign timing rules; DESIGN.md "Default policy". */
export type CampaignPolicy = {
  dispatchWithinWorkdays: number;
  claimWithinWorkdays: number;
  deadlineWorkdays: Record<Severity, number>;
  /** Daily progress report cutoff, workdays only. */
  progressCutoff: LocalTime;
  /** Daily inspection report cutoff (日督查), workdays only. */
  inspectionCutoff: LocalTime;
  ladder: {
    /** Workdays after the overdue notice before an interview (约谈). */
    interviewAfterWorkdays: number;
    /** Workdays after the interview before an accountability referral (问责). */
    accountabilityAfterWorkdays: number;
  };
  /** Workdays after a rectification is submitted within which a supervisor verifies it (验收). */
  verifyWithinWorkdays: number;
  /** Calendar days after closing before a look-back (回头看) samples the finding. */
  lookBackAfterDays: number;
  maxExtensionWorkdays: number;
};

export type CampaignPolicyOverrides = Partial<Omit<CampaignPolicy, 'deadlineWorkdays' | 'ladder'>> & {
  deadlineWorkdays?: Partial<CampaignPolicy['deadlineWorkdays']>;
  ladder?: Partial<CampaignPolicy['ladder']>;
};

export const DEFAULT_POLICY: CampaignPolicy = Object.freeze({
  dispatchWithinWorkdays: 1,
  claimWithinWorkdays: 1,
  deadlineWorkdays: Object.freeze({ red: 3, yellow: 10, blue: 20 }),
  progressCutoff: '17:30',
  inspectionCutoff: '18:00',
  ladder: Object.freeze({ interviewAfterWorkdays: 3, accountabilityAfterWorkdays: 5 }),
  // DESIGN names no verification SLA; three workdays matches the claim/dispatch rhythm and is per campaign.
  verifyWithinWorkdays: 3,
  lookBackAfterDays: 30,
  maxExtensionWorkdays: 10,
}) as CampaignPolicy;

// A year of workdays is far beyond any real rule; the bound only catches typos like 300 for 3.
const MAX_WORKDAYS = 250;

const checkCount = (value: number, field: string, min = 1, max = MAX_WORKDAYS): void => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError('INVALID_POLICY', field, `${field} 应为 ${min}–${max} 之间的整数`);
  }
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Only the keys the policy knows, in a plain object: a string spread as overrides became {"0":"f","1":"a",…}
 * inside a signed event, and an unknown key would be recorded and silently ignored.
 */
const checkShape = (value: unknown, field: string, known: readonly string[]): Record<string, unknown> => {
  if (!isPlainObject(value)) throw new InvalidInputError('INVALID_POLICY', field, `${field} 应为对象`);
  const unknownKey = Object.keys(value).find((k) => !known.includes(k));
  if (unknownKey !== undefined) {
    throw new InvalidInputError('INVALID_POLICY', `${field}.${unknownKey}`, `${field} 没有 ${unknownKey} 这一项`);
  }
  return value;
};

/** Overrides on top of the defaults, validated; the result is what CampaignCreated records in full. */
export const resolvePolicy = (overrides: CampaignPolicyOverrides = {}): CampaignPolicy => {
  checkShape(overrides, 'policy', Object.keys(DEFAULT_POLICY));
  if (overrides.deadlineWorkdays !== undefined) checkShape(overrides.deadlineWorkdays, 'policy.deadlineWorkdays', SEVERITIES);
  if (overrides.ladder !== undefined) checkShape(overrides.ladder, 'policy.ladder', Object.keys(DEFAULT_POLICY.ladder));
  const policy: CampaignPolicy = {
    ...DEFAULT_POLICY,
    ...stripUndefined(overrides),
    deadlineWorkdays: { ...DEFAULT_POLICY.deadlineWorkdays, ...stripUndefined(overrides.deadlineWorkdays ?? {}) },
    ladder: { ...DEFAULT_POLICY.ladder, ...stripUndefined(overrides.ladder ?? {}) },
  };
  checkCount(policy.dispatchWithinWorkdays, 'policy.dispatchWithinWorkdays');
  checkCount(policy.claimWithinWorkdays, 'policy.claimWithinWorkdays');
  for (const s of SEVERITIES) checkCount(policy.deadlineWorkdays[s], `policy.deadlineWorkdays.${s}`);
  checkCount(policy.ladder.interviewAfterWorkdays, 'policy.ladder.interviewAfterWorkdays');
  checkCount(policy.ladder.accountabilityAfterWorkdays, 'policy.ladder.accountabilityAfterWorkdays');
  checkCount(policy.verifyWithinWorkdays, 'policy.verifyWithinWorkdays');
  checkCount(policy.lookBackAfterDays, 'policy.lookBackAfterDays', 1, 3660);
  checkCount(policy.maxExtensionWorkdays, 'policy.maxExtensionWorkdays');
  for (const field of ['progressCutoff', 'inspectionCutoff'] as const) {
    if (!isLocalTime(policy[field])) {
      throw new InvalidInputError('INVALID_POLICY', `policy.${field}`, `policy.${field} 应为 HH:MM`);
    }
  }
  return policy;
};

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
