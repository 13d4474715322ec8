export const ROLES = ['inspector', 'supervisor', 'unit_official', 'discipline_inspector', 'admin', 'system'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  inspector: '督查组成员',
  supervisor: '督查办（组长）',
  unit_official: '乡镇/部门责任人',
  discipline_inspector: '纪委监委',
  admin: '系统管理员',
  system: '督办系统（计时）',
};

/**
 * Who acts. Also what an event stores as `signedBy`: a signature must stay readable in the
 * accountability ledger even after the person changes unit or role, so the name and unit are copied in.
 */
export type Actor = {
  userId: string;
  name: string;
  unitId: string;
  role: Role;
};

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Roles a person can hold; 'system' is the timer's own signature and never a login. */
export const isPersonRole = (value: unknown): value is Exclude<Role, 'system'> => isRole(value) && value !== 'system';

/**
 * Who signs what a timer establishes (a missed report, an overdue deadline). The fact is the system's; the
 * person answerable for it is named separately in the event (`accountable`).
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({ userId: 'system', name: '督办系统', unitId: 'system', role: 'system' });

export const sameSigner = (a: Actor | null | undefined, b: Actor | null | undefined): boolean =>
  !!a && !!b && a.userId === b.userId;
