import type { UnitKind } from '@duban/domain/directory';
import { iso, normalisePaging, type Page, type Paging, Where } from '../support';
import type { DirectoryDb } from './directory.query';
import type { DirectoryFieldChange } from './directory.projection';

export interface DirectoryUnitView {
  unitId: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  leaderUserId: string | null;
  divisionCode: string | null;
  active: boolean;
  activePeople: number;
}

export interface DirectoryPersonView {
  userId: string;
  name: string;
  phone: string | null;
  title: string;
  unitId: string;
  unitName: string | null;
  role: string;
  active: boolean;
}

export interface UnitTreeNode {
  unitId: string;
  name: string;
  kind: UnitKind;
  divisionCode: string | null;
  active: boolean;
  children: UnitTreeNode[];
}

export interface Membership {
  userId: string;
  unitId: string;
  unitName: string | null;
  role: string;
  title: string;
  active: boolean;
  validFrom: string;
  validTo: string | null;
}

export interface DirectoryChange {
  streamId: string;
  version: number;
  eventId: string;
  eventType: string;
  subjectKind: 'unit' | 'person';
  subjectId: string;
  signer: { id: string; name: string; unitId: string; role: string };
  at: string;
  reason: string;
  changes: DirectoryFieldChange[];
}

export interface UnitFilter extends Paging {
  kind?: UnitKind;
  parentId?: string;
  active?: boolean;
  /** Part of the name. */
  q?: string;
}

export interface PersonFilter extends Paging {
  unitId?: string;
  role?: string;
  active?: boolean;
  /** Part of the name, the title or the phone number. */
  q?: string;
}

export interface ChangeFilter extends Paging {
  subjectId?: string;
  signerId?: string;
  subjectKind?: 'unit' | 'person';
  from?: string;
  to?: string;
}

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The administrators' and the discipline inspector's views of the directory: lists, the tree, history, audit. */
export class DirectoryViewsQuery {
  constructor(private readonly db: DirectoryDb) {}

  async units(f: UnitFilter): Promise<Page<DirectoryUnitView>> {
    const { page, pageSize, offset } = normalisePaging(f);
    const w = new Where();
    if (f.kind) w.add('u.kind = ?', f.kind);
    if (f.parentId) w.add('u.parent_id = ?', f.parentId);
    if (f.active !== undefined) w.add('u.active = ?', f.active);
    if (f.q) w.add(`u.name LIKE ?`, like(f.q));
    const total = (await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM directory_units u ${w}`, w.params)).rows[0].n;
    const { rows } = await this.db.query(
      `SELECT u.unit_id, u.name, u.kind, u.parent_id, u.leader_user_id, u.division_code, u.active,
              (SELECT count(*)::int FROM directory_users p WHERE p.unit_id = u.unit_id AND p.active) AS active_people
         FROM directory_units u ${w}
        ORDER BY u.kind, u.unit_id COLLATE "C" LIMIT ${w.param(pageSize)} OFFSET ${w.param(offset)}`,
      w.params,
    );
    return {
      items: rows.map((r) => ({
        unitId: r.unit_id,
        name: r.name,
        kind: r.kind,
        parentId: r.parent_id,
        leaderUserId: r.leader_user_id,
        divisionCode: r.division_code,
        active: r.active,
        activePeople: r.active_people,
      })),
      total,
      page,
      pageSize,
    };
  }

  async people(f: PersonFilter): Promise<Page<DirectoryPersonView>> {
    const { page, pageSize, offset } = normalisePaging(f);
    const w = new Where();
    if (f.unitId) w.add('p.unit_id = ?', f.unitId);
    if (f.role) w.add('p.role = ?', f.role);
    if (f.active !== undefined) w.add('p.active = ?', f.active);
    if (f.q) {
      const q = w.param(like(f.q));
      w.add(`(p.name LIKE ${q} OR p.title LIKE ${q} OR coalesce(p.phone, '') LIKE ${q})`);
    }
    const total = (await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM directory_users p ${w}`, w.params)).rows[0].n;
    const { rows } = await this.db.query(
      `SELECT p.user_id, p.name, p.phone, p.title, p.unit_id, u.name AS unit_name, p.role, p.active
         FROM directory_users p LEFT JOIN directory_units u ON u.unit_id = p.unit_id ${w}
        ORDER BY p.unit_id COLLATE "C", p.user_id COLLATE "C" LIMIT ${w.param(pageSize)} OFFSET ${w.param(offset)}`,
      w.params,
    );
    return {
      items: rows.map((r) => ({
        userId: r.user_id,
        name: r.name,
        phone: r.phone,
        title: r.title,
        unitId: r.unit_id,
        unitName: r.unit_name,
        role: r.role,
        active: r.active,
      })),
      total,
      page,
      pageSize,
    };
  }

  /** Every unit, nested under its parent; the top level is what has no parent (or a parent the directory lacks). */
  async tree(options: { includeInactive?: boolean } = {}): Promise<UnitTreeNode[]> {
    const { rows } = await this.db.query(
      `SELECT unit_id, name, kind, parent_id, division_code, active FROM directory_units
        ${options.includeInactive ? '' : 'WHERE active'} ORDER BY kind, unit_id COLLATE "C"`,
    );
    const nodes = new Map<string, UnitTreeNode>(
      rows.map((r) => [r.unit_id, { unitId: r.unit_id, name: r.name, kind: r.kind, divisionCode: r.division_code, active: r.active, children: [] }]),
    );
    const roots: UnitTreeNode[] = [];
    for (const r of rows) {
      const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
      (parent ? parent.children : roots).push(nodes.get(r.unit_id)!);
    }
    return roots;
  }

  /** A person's memberships, oldest first; null when the directory never knew them. */
  async memberships(userId: string): Promise<Membership[] | null> {
    const { rows } = await this.db.query(
      `SELECT m.user_id, m.unit_id, u.name AS unit_name, m.role, m.title, m.active, m.valid_from, m.valid_to
         FROM directory_memberships_v1 m LEFT JOIN directory_units u ON u.unit_id = m.unit_id
        WHERE m.user_id = $1 ORDER BY m.stream_version`,
      [userId],
    );
    if (rows.length === 0) {
      const known = await this.db.query('SELECT 1 FROM directory_users WHERE user_id = $1', [userId]);
      return known.rows.length ? [] : null;
    }
    return rows.map(membership);
  }

  /** Which unit (and role) the person held at the instant; null when they were not yet in the directory. */
  async membershipAt(userId: string, instant: string): Promise<Membership | null> {
    const { rows } = await this.db.query(
      `SELECT m.user_id, m.unit_id, u.name AS unit_name, m.role, m.title, m.active, m.valid_from, m.valid_to
         FROM directory_memberships_v1 m LEFT JOIN directory_units u ON u.unit_id = m.unit_id
        WHERE m.user_id = $1 AND m.valid_from <= $2 AND (m.valid_to IS NULL OR m.valid_to > $2)
        ORDER BY m.stream_version DESC LIMIT 1`,
      [userId, instant],
    );
    return rows[0] ? membership(rows[0]) : null;
  }

  /** The directory's audit trail, newest first. */
  async changes(f: ChangeFilter): Promise<Page<DirectoryChange>> {
    const { page, pageSize, offset } = normalisePaging(f);
    const w = new Where();
    if (f.subjectId) w.add('subject_id = ?', f.subjectId);
    if (f.signerId) w.add('signer_id = ?', f.signerId);
    if (f.subjectKind) w.add('subject_kind = ?', f.subjectKind);
    if (f.from) w.add('at >= ?', f.from);
    if (f.to) w.add('at < ?', f.to);
    const total = (await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM directory_changes_v1 ${w}`, w.params)).rows[0].n;
    const { rows } = await this.db.query(
      `SELECT * FROM directory_changes_v1 ${w}
        ORDER BY at DESC, position DESC LIMIT ${w.param(pageSize)} OFFSET ${w.param(offset)}`,
      w.params,
    );
    return {
      items: rows.map((r) => ({
        streamId: r.stream_id,
        version: r.version,
        eventId: r.event_id,
        eventType: r.event_type,
        subjectKind: r.subject_kind,
        subjectId: r.subject_id,
        signer: { id: r.signer_id, name: r.signer_name, unitId: r.signer_unit_id, role: r.signer_role },
        at: iso(r.at)!,
        reason: r.reason,
        changes: r.changes,
      })),
      total,
      page,
      pageSize,
    };
  }
}

function membership(r: Record<string, any>): Membership {
  return {
    userId: r.user_id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    role: r.role,
    title: r.title,
    active: r.active,
    validFrom: iso(r.valid_from)!,
    validTo: iso(r.valid_to),
  };
}
