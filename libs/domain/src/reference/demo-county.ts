// A demo county for development, tests and the demo seed, modelled on the seed documents: 郸城县 as named in
// seeds/003 (its campaign plan answers the provincial patrol's 「专项巡视郸城反馈意见」). Town and department names
// are realistic but this is fictional data; every person is invented.
// Plain data: no imports.

/** The kinds of unit the demo county has (a subset of the directory's). */
export type DemoUnitKind = 'county_office' | 'town' | 'department' | 'supervision_team' | 'discipline';

export interface DemoUnit {
  id: string;
  name: string;
  kind: DemoUnitKind;
  parentId?: string;
}

export type DemoRole = 'inspector' | 'supervisor' | 'unit_official' | 'discipline_inspector' | 'admin';

export interface DemoUser {
  id: string;
  name: string;
  unitId: string;
  role: DemoRole;
  title: string;
}

export type DemoPhaseCode = 'inspection' | 'rectification' | 'improvement';

export interface DemoCampaignPhase {
  code: DemoPhaseCode;
  name: string;
  /** Inclusive, ISO date in Asia/Shanghai. */
  startDate: string;
  /** Inclusive, ISO date in Asia/Shanghai. */
  endDate: string;
}

export interface DemoCampaign {
  id: string;
  name: string;
  /** Dispatch notices are numbered 〔prefix〕〔year〕N号, e.g. 郸巩督〔2026〕12号. */
  noticePrefix: string;
  phases: DemoCampaignPhase[];
}

export const DEMO_COUNTY_NAME = '郸城县';

/** The county supervision office, 19 towns/subdistricts, 11 county departments, 8 supervision teams and the discipline commission. */
export const DEMO_UNITS: readonly DemoUnit[] = Object.freeze([
  { id: 'county-office', name: '县巩固办', kind: 'county_office' },
  { id: 'town-01', name: '洺北街道', kind: 'town' },
  { id: 'town-02', name: '洺南街道', kind: 'town' },
  { id: 'town-03', name: '东风街道', kind: 'town' },
  { id: 'town-04', name: '宁平镇', kind: 'town' },
  { id: 'town-05', name: '宜路镇', kind: 'town' },
  { id: 'town-06', name: '钱店镇', kind: 'town' },
  { id: 'town-07', name: '汲冢镇', kind: 'town' },
  { id: 'town-08', name: '石槽镇', kind: 'town' },
  { id: 'town-09', name: '南丰镇', kind: 'town' },
  { id: 'town-10', name: '白马镇', kind: 'town' },
  { id: 'town-11', name: '吴台镇', kind: 'town' },
  { id: 'town-12', name: '胡集乡', kind: 'town' },
  { id: 'town-13', name: '巴集乡', kind: 'town' },
  { id: 'town-14', name: '李楼乡', kind: 'town' },
  { id: 'town-15', name: '虎岗乡', kind: 'town' },
  { id: 'town-16', name: '张完乡', kind: 'town' },
  { id: 'town-17', name: '丁村乡', kind: 'town' },
  { id: 'town-18', name: '双楼乡', kind: 'town' },
  { id: 'town-19', name: '汲水乡', kind: 'town' },
  { id: 'dept-education', name: '县教体局', kind: 'department' },
  { id: 'dept-health', name: '县卫健委', kind: 'department' },
  { id: 'dept-housing', name: '县住建局', kind: 'department' },
  { id: 'dept-water', name: '县水利局', kind: 'department' },
  { id: 'dept-hrss', name: '县人社局', kind: 'department' },
  { id: 'dept-medical-insurance', name: '县医保局', kind: 'department' },
  { id: 'dept-civil-affairs', name: '县民政局', kind: 'department' },
  { id: 'dept-agriculture', name: '县农业农村局', kind: 'department' },
  { id: 'dept-rural-revitalization', name: '县乡村振兴局', kind: 'department' },
  { id: 'dept-finance', name: '县财政局', kind: 'department' },
  { id: 'dept-disabled-persons', name: '县残联', kind: 'department' },
  { id: 'team-1', name: '第一督查组', kind: 'supervision_team', parentId: 'county-office' },
  { id: 'team-2', name: '第二督查组', kind: 'supervision_team', parentId: 'county-office' },
  { id: 'team-3', name: '第三督查组', kind: 'supervision_team', parentId: 'county-office' },
  { id: 'team-4', name: '第四督查组', kind: 'supervision_team', parentId: 'county-office' },
  { id: 'team-5', name: '第五督查组', kind: 'supervision_team', parentId: 'county-office' },
  { id: 'team-6', name: '第六督查组', kind: 'supervision_team', parentId: 'county-office' },
  { id: 'team-7', name: '第七督查组', kind: 'supervision_team', parentId: 'county-office' },
  { id: 'team-8', name: '第八督查组', kind: 'supervision_team', parentId: 'county-office' },
  { id: 'discipline', name: '县纪委监委', kind: 'discipline' },
]);

export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  { id: 'admin-1', name: '王建军', unitId: 'county-office', role: 'admin', title: '县巩固办信息系统管理员' },
  { id: 'sup-1', name: '李秀英', unitId: 'county-office', role: 'supervisor', title: '县巩固办主任' },
  { id: 'sup-2', name: '张国强', unitId: 'county-office', role: 'supervisor', title: '县巩固办副主任' },
  { id: 'sup-3', name: '刘志刚', unitId: 'county-office', role: 'supervisor', title: '县巩固办督查科科长' },
  { id: 'insp-1', name: '陈红梅', unitId: 'team-1', role: 'inspector', title: '第一督查组组长' },
  { id: 'insp-2', name: '杨文博', unitId: 'team-2', role: 'inspector', title: '第二督查组组长' },
  { id: 'insp-3', name: '赵永胜', unitId: 'team-3', role: 'inspector', title: '第三督查组组长' },
  { id: 'insp-4', name: '黄丽娟', unitId: 'team-4', role: 'inspector', title: '第四督查组组长' },
  { id: 'insp-5', name: '周海涛', unitId: 'team-5', role: 'inspector', title: '第五督查组组长' },
  { id: 'insp-6', name: '吴振华', unitId: 'team-6', role: 'inspector', title: '第六督查组组长' },
  { id: 'insp-7', name: '徐明亮', unitId: 'team-7', role: 'inspector', title: '第七督查组组长' },
  { id: 'insp-8', name: '孙桂兰', unitId: 'team-8', role: 'inspector', title: '第八督查组组长' },
  { id: 'insp-9', name: '马晓东', unitId: 'team-1', role: 'inspector', title: '第一督查组成员' },
  { id: 'insp-10', name: '朱卫民', unitId: 'team-2', role: 'inspector', title: '第二督查组成员' },
  { id: 'insp-11', name: '胡春燕', unitId: 'team-3', role: 'inspector', title: '第三督查组成员' },
  { id: 'insp-12', name: '郭建华', unitId: 'team-4', role: 'inspector', title: '第四督查组成员' },
  { id: 'insp-13', name: '何立新', unitId: 'team-5', role: 'inspector', title: '第五督查组成员' },
  { id: 'insp-14', name: '高玉梅', unitId: 'team-6', role: 'inspector', title: '第六督查组成员' },
  { id: 'insp-15', name: '林东升', unitId: 'team-7', role: 'inspector', title: '第七督查组成员' },
  { id: 'insp-16', name: '罗少杰', unitId: 'team-8', role: 'inspector', title: '第八督查组成员' },
  { id: 'off-town-01-a', name: '郑爱民', unitId: 'town-01', role: 'unit_official', title: '洺北街道党工委副书记' },
  { id: 'off-town-01-b', name: '梁淑芬', unitId: 'town-01', role: 'unit_official', title: '洺北街道办事处副主任' },
  { id: 'off-town-02-a', name: '谢宏伟', unitId: 'town-02', role: 'unit_official', title: '洺南街道党工委副书记' },
  { id: 'off-town-02-b', name: '宋德明', unitId: 'town-02', role: 'unit_official', title: '洺南街道办事处副主任' },
  { id: 'off-town-03-a', name: '唐静怡', unitId: 'town-03', role: 'unit_official', title: '东风街道党工委副书记' },
  { id: 'off-town-03-b', name: '许晓峰', unitId: 'town-03', role: 'unit_official', title: '东风街道办事处副主任' },
  { id: 'off-town-04-a', name: '韩俊杰', unitId: 'town-04', role: 'unit_official', title: '宁平镇党委副书记' },
  { id: 'off-town-04-b', name: '冯素云', unitId: 'town-04', role: 'unit_official', title: '宁平镇副镇长' },
  { id: 'off-town-05-a', name: '邓学军', unitId: 'town-05', role: 'unit_official', title: '宜路镇党委副书记' },
  { id: 'off-town-05-b', name: '曹丽萍', unitId: 'town-05', role: 'unit_official', title: '宜路镇副镇长' },
  { id: 'off-town-06-a', name: '彭志远', unitId: 'town-06', role: 'unit_official', title: '钱店镇党委副书记' },
  { id: 'off-town-07-a', name: '曾庆华', unitId: 'town-07', role: 'unit_official', title: '汲冢镇党委副书记' },
  { id: 'off-town-08-a', name: '肖金山', unitId: 'town-08', role: 'unit_official', title: '石槽镇党委副书记' },
  { id: 'off-town-09-a', name: '田凤英', unitId: 'town-09', role: 'unit_official', title: '南丰镇党委副书记' },
  { id: 'off-town-10-a', name: '董振宇', unitId: 'town-10', role: 'unit_official', title: '白马镇党委副书记' },
  { id: 'off-town-11-a', name: '袁广才', unitId: 'town-11', role: 'unit_official', title: '吴台镇党委副书记' },
  { id: 'off-town-12-a', name: '潘晓燕', unitId: 'town-12', role: 'unit_official', title: '胡集乡党委副书记' },
  { id: 'off-town-13-a', name: '于海龙', unitId: 'town-13', role: 'unit_official', title: '巴集乡党委副书记' },
  { id: 'off-town-14-a', name: '蒋卫东', unitId: 'town-14', role: 'unit_official', title: '李楼乡党委副书记' },
  { id: 'off-town-15-a', name: '蔡明辉', unitId: 'town-15', role: 'unit_official', title: '虎岗乡党委副书记' },
  { id: 'off-town-16-a', name: '余春生', unitId: 'town-16', role: 'unit_official', title: '张完乡党委副书记' },
  { id: 'off-town-17-a', name: '杜秀琴', unitId: 'town-17', role: 'unit_official', title: '丁村乡党委副书记' },
  { id: 'off-town-18-a', name: '叶国栋', unitId: 'town-18', role: 'unit_official', title: '双楼乡党委副书记' },
  { id: 'off-town-19-a', name: '程永刚', unitId: 'town-19', role: 'unit_official', title: '汲水乡党委副书记' },
  { id: 'off-dept-education-a', name: '魏红霞', unitId: 'dept-education', role: 'unit_official', title: '县教体局副局长' },
  { id: 'off-dept-health-a', name: '吕长青', unitId: 'dept-health', role: 'unit_official', title: '县卫健委副主任' },
  { id: 'off-dept-housing-a', name: '丁文杰', unitId: 'dept-housing', role: 'unit_official', title: '县住建局副局长' },
  { id: 'off-dept-water-a', name: '沈雪梅', unitId: 'dept-water', role: 'unit_official', title: '县水利局副局长' },
  { id: 'off-dept-hrss-a', name: '任保国', unitId: 'dept-hrss', role: 'unit_official', title: '县人社局副局长' },
  { id: 'off-dept-medical-insurance-a', name: '姚晓军', unitId: 'dept-medical-insurance', role: 'unit_official', title: '县医保局副局长' },
  { id: 'off-dept-civil-affairs-a', name: '卢建设', unitId: 'dept-civil-affairs', role: 'unit_official', title: '县民政局副局长' },
  { id: 'off-dept-agriculture-a', name: '姜美玲', unitId: 'dept-agriculture', role: 'unit_official', title: '县农业农村局副局长' },
  { id: 'off-dept-rural-revitalization-a', name: '崔新民', unitId: 'dept-rural-revitalization', role: 'unit_official', title: '县乡村振兴局副局长' },
  { id: 'off-dept-finance-a', name: '钟玉华', unitId: 'dept-finance', role: 'unit_official', title: '县财政局副局长' },
  { id: 'off-dept-disabled-persons-a', name: '谭立军', unitId: 'dept-disabled-persons', role: 'unit_official', title: '县残联副理事长' },
  { id: 'jw-1', name: '陆少华', unitId: 'discipline', role: 'discipline_inspector', title: '县纪委监委第三监督检查室主任' },
  { id: 'jw-2', name: '汪金凤', unitId: 'discipline', role: 'discipline_inspector', title: '县纪委监委第三监督检查室干部' },
]);

/**
 * Modelled on seeds/003 section 四 (排查 → 集中整改 → 提升), dated 2026-11-01 … 2027-01-31.
 * With today at 2026-11-23 the campaign is in its rectification phase.
 */
export const DEMO_CAMPAIGN: DemoCampaign = {
  id: 'campaign-2026-q4',
  name: '郸城县巩固拓展脱贫攻坚成果同乡村振兴有效衔接集中整改提升专项行动',
  noticePrefix: '郸巩督',
  phases: [
    { code: 'inspection', name: '排查阶段', startDate: '2026-11-01', endDate: '2026-11-15' },
    { code: 'rectification', name: '集中整改阶段', startDate: '2026-11-16', endDate: '2026-12-15' },
    { code: 'improvement', name: '提升阶段', startDate: '2026-12-16', endDate: '2027-01-31' },
  ],
};

/**
 * The campaign the demo seed writes a month of history into (apps/api/src/cli/demo-history): demo data, and shown
 * as such wherever it appears (its name starts with 【演示数据】, the campaigns API says `demo: true`).
 */
export const DEMO_HISTORY_CAMPAIGN_ID = 'demo-history';
export const DEMO_HISTORY_NAME_PREFIX = '【演示数据】';

export const isDemoCampaign = (campaignId: string): boolean => campaignId === DEMO_HISTORY_CAMPAIGN_ID;

/**
 * A demo person's mobile number, by their place in DEMO_USERS: 199 0000 0001, 199 0000 0002, … (invented, like the
 * people; sign-in by phone needs one each).
 */
export const demoPhoneOf = (userId: string): string => {
  const i = DEMO_USERS.findIndex((u) => u.id === userId);
  if (i < 0) throw new Error(`no demo user ${userId}`);
  return `1990000${String(i + 1).padStart(4, '0')}`;
};
