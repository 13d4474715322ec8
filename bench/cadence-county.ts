import type { Actor, LocalDate, Severity } from '@duban/domain';
import { shanghaiInstant } from '@duban/domain';

// The synthetic county of the cadence bench (bench/cadence.bench.ts): its sizes, units, people and each finding's
// profile — deterministic, so every run writes the same campaign.

export const QUICK = process.env.BENCH_QUICK === '1';
export const COUNTY_FINDINGS = QUICK ? 179 : 1_788;
export const SCALE = 10;
export const WRITERS = 8;
export const RUNS = { county: QUICK ? 20 : 60, province: QUICK ? 8 : 20 };
export const RANKINGS = QUICK ? 2_000 : 20_000;

export const COUNTY = 'county-2026';
export const PROVINCE = 'province-2026';
export const FIRST_DAY: LocalDate = '2026-10-09';
/** The report day: a Wednesday in the 集中整改 phase, seven weeks in. */
export const DAY: LocalDate = '2026-11-18';
/** Every report is computed as of the day's inspection cutoff: the log is written up to that instant. */
export const AS_OF = shanghaiInstant(DAY, '18:00');
export const END_MS = Date.parse(AS_OF);

export const TOWNS = [
  '城关镇', '东关镇', '宁平镇', '西关镇', '南关镇', '北关镇', '李庄镇', '王集镇', '马头镇', '河沟镇', '白寨乡',
  '黄庄乡', '刘集乡', '张桥乡', '杨湖乡', '陈楼乡', '孙店乡', '周营乡', '吴屯乡', '郑寨乡', '冯庄乡', '卫村乡',
].map((name, i) => ({ unitId: `town-${String(i + 1).padStart(2, '0')}`, name }));
export const DEPARTMENTS = [
  '县住建局', '县水利局', '县教体局', '县卫健局', '县民政局', '县人社局', '县医保局', '县农业农村局', '县交通运输局',
  '县自然资源局', '县生态环境局', '县财政局', '县乡村振兴局', '县残联', '县市场监管局', '县应急管理局', '县发改局',
  '县工信局', '县商务局', '县文广旅局', '县林业局', '县公安局', '县供电公司',
].map((name, i) => ({ unitId: `dept-${String(i + 1).padStart(2, '0')}`, name }));
export const TEAMS = ['第一督查组', '第二督查组', '第三督查组', '第四督查组', '第五督查组', '第六督查组'].map((name, i) => ({
  unitId: `team-${i + 1}`,
  name,
  inspector: { userId: `insp-${i + 1}`, name: `督查员${i + 1}`, unitId: `team-${i + 1}`, role: 'inspector' } as Actor,
  // The sixth team has no leader on record: its missed reports name nobody.
  hasLeader: i < 5,
}));
export const UNIT_NAMES = new Map<string, string>([
  ['county-office', '县巩固办'],
  ...[...TOWNS, ...DEPARTMENTS, ...TEAMS].map((u) => [u.unitId, u.name] as [string, string]),
]);
export const admin: Actor = { userId: 'admin-1', name: '吴管理员', unitId: 'it', role: 'admin' };
export const supervisors: Actor[] = [
  { userId: 'sup-1', name: '李组长', unitId: 'county-office', role: 'supervisor' },
  { userId: 'sup-2', name: '王主任', unitId: 'county-office', role: 'supervisor' },
];
export const official = (unitId: string, k: number): Actor => ({
  userId: `off-${unitId}-${k}`,
  name: `${UNIT_NAMES.get(unitId)}干部${k}`,
  unitId,
  role: 'unit_official',
});

/** Deterministic pseudo-random numbers, so every run writes the same campaign. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Profile = {
  findingId: string;
  team: (typeof TEAMS)[number];
  recordDay: LocalDate;
  recordTime: string;
  severity: Severity;
  townUnitId: string;
  unitId: string;
  annul: 'no' | 'recorded' | 'dispatched';
  /** Workdays after recording the supervisor dispatches it (1 is on the SLA's last day, more is late). */
  dispatchLag: number;
  /** Workdays after dispatch the unit claims it; null: never. */
  claimLag: number | null;
  claimant: number;
  plan: boolean;
  /** Share of workdays the owner reports progress by the cutoff. */
  reportRate: number;
  completion: 'on_time' | 'late' | 'stalled';
  onTimeShare: number;
  lateBy: number;
  verifyLag: number;
  reject: boolean;
  reassignTo: string | null;
  extension: boolean;
  reopen: boolean;
};

export function profiles(campaignId: string, count: number, workdays: LocalDate[]): Profile[] {
  return Array.from({ length: count }, (_, n) => {
    const r = mulberry32(n + 1);
    const town = TOWNS[Math.floor(r() * TOWNS.length)];
    const toTown = r() < 0.6;
    const dept = DEPARTMENTS[Math.floor(r() * DEPARTMENTS.length)];
    const sev = r();
    const annul = r();
    const dispatch = r();
    const claim = r();
    const completion = r();
    const reassign = r() < 0.03;
    const other = DEPARTMENTS[(DEPARTMENTS.indexOf(dept) + 1 + Math.floor(r() * (DEPARTMENTS.length - 1))) % DEPARTMENTS.length];
    const minutes = 9 * 60 + Math.floor(r() * 16) * 30; // 09:00–16:30
    return {
      findingId: `${campaignId}-f${String(n + 1).padStart(5, '0')}`,
      team: TEAMS[n % TEAMS.length],
      // Slightly front-loaded: more findings in the first weeks of the phase than in the last.
      recordDay: workdays[Math.floor(Math.pow(r(), 1.3) * workdays.length)],
      recordTime: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
      severity: sev < 0.15 ? 'red' : sev < 0.7 ? 'yellow' : 'blue',
      townUnitId: town.unitId,
      unitId: toTown ? town.unitId : dept.unitId,
      annul: annul < 0.02 ? 'recorded' : annul < 0.035 ? 'dispatched' : 'no',
      dispatchLag: dispatch < 0.83 ? 0 : dispatch < 0.94 ? 1 : dispatch < 0.98 ? 2 : 5,
      claimLag: claim < 0.8 ? 1 : claim < 0.95 ? 2 : null,
      claimant: 1 + Math.floor(r() * 2),
      plan: r() < 0.7,
      reportRate: r() < 0.1 ? 0.3 : 0.93,
      completion: completion < 0.68 ? 'on_time' : completion < 0.88 ? 'late' : 'stalled',
      onTimeShare: 0.4 + 0.6 * r(),
      lateBy: 1 + Math.floor(r() * 10),
      verifyLag: r() < 0.9 ? 1 : 4,
      reject: r() < 0.08,
      reassignTo: reassign && other.unitId !== (toTown ? town.unitId : dept.unitId) ? other.unitId : null,
      extension: r() < 0.05,
      reopen: r() < 0.2,
    };
  });
}
