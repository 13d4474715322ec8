import type { Pool, PoolClient } from 'pg';
import type { UnitKind } from '@duban/domain/directory';

/** A pool, or a client inside a transaction (a report's read snapshot). */
export type DirectoryDb = Pick<Pool | PoolClient, 'query'>;

/** A supervision team with its leader, when the leader is an active inspector or supervisor. */
export interface SupervisionTeam {
  teamId: string;
  teamName: string;
  leader: { userId: string; name: string; unitId: string; role: 'inspector' | 'supervisor' } | null;
}

export interface DirectoryUnit {
  unitId: string;
  name: string;
}

export interface UnitRow {
  unitId: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  leaderUserId: string | null;
}

export interface UserRow {
  userId: string;
  name: string;
  unitId: string;
  role: string;
  title: string;
  active: boolean;
}

const UNIT_COLUMNS = `unit_id AS "unitId", name, kind, parent_id AS "parentId", leader_user_id AS "leaderUserId"`;
const USER_COLUMNS = `user_id AS "userId", name, unit_id AS "unitId", role, title, active`;

/**
 * The directory (units and people) as the read side needs it: the directory projection's tables (behind the views
 * directory_units, directory_users), inside the caller's transaction when given a client. Also the cross-stream facts
 * the directory's write side asks (the application's DirectoryLookup).
 */
export class DirectoryQuery {
  constructor(private readonly db: DirectoryDb) {}

  async unit(unitId: string): Promise<UnitRow | null> {
    const { rows } = await this.db.query<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM directory_units WHERE unit_id = $1`, [unitId]);
    return rows[0] ?? null;
  }

  async units(): Promise<UnitRow[]> {
    return (await this.db.query<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM directory_units ORDER BY kind, unit_id`)).rows;
  }

  /** The active units of one kind, by id (举一反三 to all towns / all departments asks exactly these). */
  async activeUnitIds(kind: UnitKind): Promise<string[]> {
    const { rows } = await this.db.query<{ unit_id: string }>(
      `SELECT unit_id FROM directory_units WHERE kind = $1 AND active ORDER BY unit_id COLLATE "C"`,
      [kind],
    );
    return rows.map((r) => r.unit_id);
  }

  async user(userId: string): Promise<UserRow | null> {
    const { rows } = await this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM directory_users WHERE user_id = $1`, [userId]);
    return rows[0] ?? null;
  }

  async users(): Promise<UserRow[]> {
    return (await this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM directory_users ORDER BY role, user_id`)).rows;
  }

  /** Every unit's name by id: audit summaries name units as people know them ("交办至 宁平镇"). */
  async allUnitNames(): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ unit_id: string; name: string }>('SELECT unit_id, name FROM directory_units');
    return new Map(rows.map((r) => [r.unit_id, r.name]));
  }

  /** By team id; a leader who left (inactive) or holds another role counts as none. */
  async supervisionTeams(): Promise<SupervisionTeam[]> {
    const { rows } = await this.db.query(
      `SELECT t.unit_id AS team_id, t.name AS team_name, u.user_id, u.name AS user_name, u.unit_id AS user_unit_id, u.role
         FROM directory_units t
         LEFT JOIN directory_users u
           ON u.user_id = t.leader_user_id AND u.active AND u.role IN ('inspector', 'supervisor')
        WHERE t.kind = 'supervision_team'
        ORDER BY t.unit_id COLLATE "C"`,
    );
    return rows.map((r) => ({
      teamId: r.team_id,
      teamName: r.team_name,
      leader: r.user_id ? { userId: r.user_id, name: r.user_name, unitId: r.user_unit_id, role: r.role } : null,
    }));
  }

  /** The units findings are assigned to (towns and departments), by unit id. */
  async townsAndDepartments(): Promise<DirectoryUnit[]> {
    const { rows } = await this.db.query<{ unit_id: string; name: string }>(
      `SELECT unit_id, name FROM directory_units WHERE kind IN ('town', 'department') ORDER BY unit_id COLLATE "C"`,
    );
    return rows.map((r) => ({ unitId: r.unit_id, name: r.name }));
  }

  /** Unit id → name for the given ids; an id the directory does not know is absent from the map. */
  async unitNames(ids: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((x): x is string => typeof x === 'string'))];
    if (unique.length === 0) return new Map();
    const { rows } = await this.db.query<{ unit_id: string; name: string }>(
      'SELECT unit_id, name FROM directory_units WHERE unit_id = ANY($1::text[])',
      [unique],
    );
    return new Map(rows.map((r) => [r.unit_id, r.name]));
  }

  async activePeopleIn(unitId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM directory_users WHERE unit_id = $1 AND active', [unitId]);
    return rows[0].n;
  }

  async activeChildrenOf(unitId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM directory_units WHERE parent_id = $1 AND active', [unitId]);
    return rows[0].n;
  }

  /** The active person holding a (normalised) mobile number, if any. */
  async activeHolderOfPhone(phone: string): Promise<string | null> {
    const { rows } = await this.db.query<{ user_id: string }>(
      'SELECT user_id FROM directory_users WHERE phone = $1 AND active ORDER BY user_id LIMIT 1',
      [phone],
    );
    return rows[0]?.user_id ?? null;
  }

  /** Every unit and person with what an import matches on (names, parents, phones, standing). */
  async roster(): Promise<{ units: RosterUnit[]; people: RosterPerson[] }> {
    const units = await this.db.query<RosterUnit>(
      `SELECT ${UNIT_COLUMNS}, division_code AS "divisionCode", active FROM directory_units ORDER BY unit_id COLLATE "C"`,
    );
    const people = await this.db.query<RosterPerson>(`SELECT ${USER_COLUMNS}, phone FROM directory_users ORDER BY user_id COLLATE "C"`);
    return { units: units.rows, people: people.rows };
  }
}

export interface RosterUnit extends UnitRow {
  divisionCode: string | null;
  active: boolean;
}

export interface RosterPerson extends UserRow {
  phone: string | null;
}
