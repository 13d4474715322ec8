import type { FindingCommandRequest } from '@duban/application';
import type { FindingSource, Severity } from '@duban/domain';

/**
 * The demo campaign's month, as people would have lived it: which finding, which step, who signs, on which of the
 * campaign's workdays (k = the k-th workday from its first day) at what time of day (Asia/Shanghai). Timers are not
 * listed: they fire at their own instants between the steps, as the worker would have fired them.
 */
export interface DemoFinding {
  n: number;
  townUnitId: string;
  severity: Severity;
  source: FindingSource;
  categoryCode: string;
  village: string;
  household: string;
  description: string;
}

type StepCommand = Exclude<FindingCommandRequest, { type: 'RecordFinding' }>;
type Data<T extends StepCommand['type']> = Extract<StepCommand, { type: T }>['data'];

export type DemoStep =
  | { k: number; time: string; finding: number; by: string; type: 'RecordFinding'; photo?: string }
  | { k: number; time: string; findings: number[]; by: string; type: 'DispatchFindings'; unitId: string; note?: string }
  | {
      [T in StepCommand['type']]: { k: number; time: string; finding: number; by: string; type: T; data: Data<T>; photo?: string };
    }[StepCommand['type']];

export const DEMO_FINDINGS: DemoFinding[] = [
  { n: 1, townUnitId: 'town-01', severity: 'red', source: 'household_inspection', categoryCode: '2.3', village: '张庄村', household: '张某某', description: '脱贫户张某某住房为C级危房，未纳入改造' },
  { n: 2, townUnitId: 'town-02', severity: 'red', source: 'household_inspection', categoryCode: '2.4', village: '李楼村', household: '李某某', description: '监测户李某某家中自来水长期停供，饮水安全无保障' },
  { n: 3, townUnitId: 'town-03', severity: 'yellow', source: 'household_inspection', categoryCode: '2.1', village: '王营村', household: '王某某', description: '脱贫户子女就读高中，雨露计划补助未落实' },
  { n: 4, townUnitId: 'town-04', severity: 'blue', source: 'household_inspection', categoryCode: '2.2', village: '赵庄村', household: '赵某某', description: '脱贫户赵某某一家两口未参加城乡居民医保' },
  { n: 5, townUnitId: 'town-05', severity: 'yellow', source: 'household_inspection', categoryCode: '2.3', village: '刘寨村', household: '刘某某', description: '危房鉴定结论与实际不符，鉴定报告未签章' },
  { n: 6, townUnitId: 'town-05', severity: 'red', source: 'household_inspection', categoryCode: '2.5', village: '陈楼村', household: '陈某某', description: '重度残疾人陈某某未纳入低保' },
  { n: 7, townUnitId: 'town-01', severity: 'yellow', source: 'household_inspection', categoryCode: '3.1', village: '张庄村', household: '—', description: '产业帮扶资金拨付台账与到户记录不一致' },
  { n: 8, townUnitId: 'town-01', severity: 'blue', source: 'household_inspection', categoryCode: '3.2', village: '孙店村', household: '孙某某', description: '帮扶手册记录不全，近三月无走访记录' },
  { n: 9, townUnitId: 'town-06', severity: 'red', source: 'household_inspection', categoryCode: '2.3', village: '钱店村', household: '钱某某', description: '危房改造已验收但屋顶漏雨，群众反映强烈' },
  { n: 10, townUnitId: 'town-07', severity: 'yellow', source: 'household_inspection', categoryCode: '2.4', village: '汲冢村', household: '周某某', description: '安全饮水工程入户管道破损，未及时维修' },
];

/** Progress reports on each workday of [from, to] except `skip`, at 16:30, by `by`. */
const daily = (finding: number, by: string, from: number, to: number, skip: number[] = []): DemoStep[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)
    .filter((k) => !skip.includes(k))
    .map((k, i) => ({
      k,
      time: '16:30',
      finding,
      by,
      type: 'ReportProgress' as const,
      data: { summary: `第 ${i + 1} 次进展：按一题一策推进`, percent: Math.min(90, 20 + i * 10), evidence: [] },
      ...(i % 3 === 0 ? { photo: `进展照片-${finding}-${k}.png` } : {}),
    }));

const plan = (finding: number, by: string, k: number): DemoStep => ({
  k,
  time: '10:00',
  finding,
  by,
  type: 'SubmitRectificationPlan',
  data: { plan: '逐户核实、制定整改方案并限时完成', measures: ['入户核实', '制定方案', '组织实施', '自查验收'] },
});

const steps = (finding: number, by: string, type: 'ClaimFinding', k: number, time = '09:00'): DemoStep => ({ k, time, finding, by, type, data: {} });
const submit = (finding: number, by: string, k: number): DemoStep => ({
  k, time: '15:00', finding, by, type: 'SubmitRectification', data: { summary: '已按方案整改完毕，附整改后照片', evidence: [] }, photo: `整改后-${finding}-${k}.png`,
});
const verify = (finding: number, by: string, k: number): DemoStep => ({ k, time: '10:30', finding, by, type: 'VerifyRectification', data: { note: '现场验收合格，予以销号' } });
const record = (finding: number, by: string, k: number, time = '09:30'): DemoStep => ({ k, time, finding, by, type: 'RecordFinding', photo: `现场照片-${finding}.png` });
const dispatch = (finding: number, k: number, by = 'sup-1'): DemoStep => ({ k, time: '15:00', finding, by, type: 'DispatchFinding', data: { unitId: DEMO_FINDINGS[finding - 1].townUnitId, note: '请按期整改到位' } });

/**
 * 1 closed, reopened after the look-back and closed again; 2 never reported again — missed reports, overdue, 通报
 * then 约谈 (acknowledged) then 问责; 3 closed on time; 4 claimed late; 5 extension granted, awaiting verification;
 * 6 never dispatched; 7 and 8 dispatched together under one notice; 9 overdue, submitted late, rejected, closed;
 * 10 recent and on track.
 */
export const DEMO_STEPS: DemoStep[] = [
  record(1, 'insp-1', 0), dispatch(1, 0), steps(1, 'off-town-01-a', 'ClaimFinding', 1), plan(1, 'off-town-01-a', 1),
  ...daily(1, 'off-town-01-a', 1, 2), submit(1, 'off-town-01-a', 3), verify(1, 'sup-2', 4),
  { k: 11, time: '10:00', finding: 1, by: 'sup-1', type: 'ReopenFinding', data: { reason: '回头看发现屋顶仍有渗漏，整改不彻底' } },
  ...daily(1, 'off-town-01-a', 11, 13), submit(1, 'off-town-01-a', 14), verify(1, 'sup-3', 15),

  record(2, 'insp-2', 1, '10:00'), dispatch(2, 1), steps(2, 'off-town-02-a', 'ClaimFinding', 2, '09:30'), plan(2, 'off-town-02-a', 2),
  ...daily(2, 'off-town-02-a', 2, 2),
  { k: 9, time: '11:00', finding: 2, by: 'sup-1', type: 'AcknowledgeEscalation', data: { level: 'interview', note: '已约谈洺南街道分管负责同志' } },

  record(3, 'insp-3', 2), dispatch(3, 3), steps(3, 'off-town-03-a', 'ClaimFinding', 3, '16:00'), plan(3, 'off-town-03-a', 4),
  ...daily(3, 'off-town-03-a', 4, 8, [6]), submit(3, 'off-town-03-a', 9), verify(3, 'sup-2', 10),

  record(4, 'insp-4', 3), dispatch(4, 4), steps(4, 'off-town-04-a', 'ClaimFinding', 7, '11:00'), plan(4, 'off-town-04-a', 8),
  ...daily(4, 'off-town-04-a', 8, 21, [12, 17]),

  record(5, 'insp-5', 4), dispatch(5, 5), steps(5, 'off-town-05-a', 'ClaimFinding', 5, '17:00'), plan(5, 'off-town-05-a', 6),
  ...daily(5, 'off-town-05-a', 6, 14),
  { k: 10, time: '11:00', finding: 5, by: 'off-town-05-a', type: 'RequestExtension', data: { workdays: 5, reason: '需等待第三方鉴定机构重新出具报告' } },
  { k: 10, time: '15:30', finding: 5, by: 'sup-2', type: 'GrantExtension', data: { reason: '情况属实，同意延期' } },
  submit(5, 'off-town-05-a', 15),

  record(6, 'insp-5', 20, '10:00'),

  record(7, 'insp-1', 6), record(8, 'insp-9', 6, '11:00'),
  { k: 6, time: '16:00', findings: [7, 8], by: 'sup-1', type: 'DispatchFindings', unitId: 'town-01', note: '两项问题一并交办' },
  steps(7, 'off-town-01-a', 'ClaimFinding', 7), plan(7, 'off-town-01-a', 7), ...daily(7, 'off-town-01-a', 7, 11),
  submit(7, 'off-town-01-a', 12), verify(7, 'sup-2', 13),
  steps(8, 'off-town-01-b', 'ClaimFinding', 7, '09:20'), plan(8, 'off-town-01-b', 8), ...daily(8, 'off-town-01-b', 8, 21, [10, 15, 19]),

  record(9, 'insp-6', 8), dispatch(9, 8), steps(9, 'off-town-06-a', 'ClaimFinding', 9), plan(9, 'off-town-06-a', 9),
  ...daily(9, 'off-town-06-a', 9, 10), submit(9, 'off-town-06-a', 13),
  { k: 14, time: '10:00', finding: 9, by: 'sup-2', type: 'RejectRectification', data: { reason: '整改照片无法反映屋顶修缮情况，请补充' } },
  ...daily(9, 'off-town-06-a', 14, 14), submit(9, 'off-town-06-a', 15), verify(9, 'sup-1', 16),

  record(10, 'insp-7', 15), dispatch(10, 16), steps(10, 'off-town-07-a', 'ClaimFinding', 16, '17:00'), plan(10, 'off-town-07-a', 17),
  ...daily(10, 'off-town-07-a', 17, 21),
];

/** The campaign's last scenario workday: the history ends before the day the seed runs. */
export const LAST_STEP_WORKDAY = Math.max(...DEMO_STEPS.map((s) => s.k));
