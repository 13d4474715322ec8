import type { Role } from '../session/session';

export interface MenuEntry {
  path: string;
  label: string;
}

const TODAY = { path: '/', label: '今日待办' };
const RECORD = { path: '/record', label: '记录问题' };
const SEARCH = { path: '/search', label: '问题查询' };
const CADENCE = { path: '/cadence', label: '通报与讲评' };
const ACCOUNTABILITY = { path: '/accountability', label: '问责台账' };

/** What each role is there to do (DESIGN.md): a menu entry for each, nothing it may not do. */
export const MENUS: Record<Role, MenuEntry[]> = {
  inspector: [TODAY, RECORD, SEARCH, CADENCE],
  supervisor: [
    TODAY,
    { path: '/board/dispatch', label: '交办' },
    { path: '/board/verify', label: '验收销号' },
    { path: '/board/extensions', label: '延期审批' },
    RECORD,
    SEARCH,
    CADENCE,
    ACCOUNTABILITY,
  ],
  unit_official: [TODAY, { path: '/tasks', label: '本单位问题' }, CADENCE, ACCOUNTABILITY],
  discipline_inspector: [TODAY, SEARCH, ACCOUNTABILITY, { path: '/integrity-check', label: '数据完整性' }, CADENCE],
  admin: [TODAY, { path: '/roster', label: '人员名册' }, { path: '/system', label: '系统运行' }, SEARCH],
};
