import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';

export interface UnitRow {
  unitId: string;
  name: string;
  kind: 'county_office' | 'town' | 'department' | 'supervision_team' | 'discipline';
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

/** Units and people: reference data that administrators manage and every signature copies. */
@Injectable()
export class DirectoryRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async unit(unitId: string): Promise<UnitRow | null> {
    const { rows } = await this.pool.query(
      `SELECT unit_id AS "unitId", name, kind, parent_id AS "parentId", leader_user_id AS "leaderUserId"
         FROM directory_units WHERE unit_id = $1`,
      [unitId],
    );
    return rows[0] ?? null;
  }

  async user(userId: string): Promise<UserRow | null> {
    const { rows } = await this.pool.query(
      `SELECT user_id AS "userId", name, unit_id AS "unitId", role, title, active FROM directory_users WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ?? null;
  }

  async units(): Promise<UnitRow[]> {
    const { rows } = await this.pool.query(
      `SELECT unit_id AS "unitId", name, kind, parent_id AS "parentId", leader_user_id AS "leaderUserId"
         FROM directory_units ORDER BY kind, unit_id`,
    );
    return rows;
  }

  async users(): Promise<UserRow[]> {
    const { rows } = await this.pool.query(
      `SELECT user_id AS "userId", name, unit_id AS "unitId", role, title, active FROM directory_users ORDER BY role, user_id`,
    );
    return rows;
  }
}
