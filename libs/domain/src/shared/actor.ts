export const ROLES = ['inspector', 'supervisor', 'unit_official', 'discipline_inspector', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  inspector: '督查组成员',
  supervisor: '督查办（组长）',
  unit_official: '乡镇/部门责任人',
  discipline_inspector: '纪委监委',
  admin: '系统管理员',
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

export const sameSigner = (a: Actor | null | undefined, b: Actor | null | undefined): boolean =>
  !!a && !!b && a.userId === b.userId;
