export const SOURCES = [
  { code: 'household_inspection', label: '入户排查' },
  { code: 'sector_inspection', label: '行业排查' },
  { code: 'assessment_feedback', label: '考核评估/后评估' },
  { code: 'supervision_patrol', label: '督查巡查/巡视反馈' },
  { code: 'special_audit', label: '专项审计' },
  { code: 'covert_visit', label: '暗访' },
  { code: 'petition', label: '信访' },
  { code: 'media', label: '媒体舆情' },
  { code: 'self_inspection', label: '自查' },
] as const;

export type FindingSource = (typeof SOURCES)[number]['code'];

export const SOURCE_LABELS = Object.fromEntries(SOURCES.map((s) => [s.code, s.label])) as Record<FindingSource, string>;

export const isFindingSource = (value: unknown): value is FindingSource =>
  typeof value === 'string' && SOURCES.some((s) => s.code === value);
