import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { DirectoryQuery } from '@duban/read-models';
import { PG_POOL } from '../database/database.module';

export type { UnitRow, UserRow } from '@duban/read-models';

/** The directory (libs/read-models/src/directory) on the API's pool, injectable. */
@Injectable()
export class DirectoryRepository extends DirectoryQuery {
  constructor(@Inject(PG_POOL) pool: Pool) {
    super(pool);
  }
}
