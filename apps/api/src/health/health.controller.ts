import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Pool } from 'pg';
import { readProjectionHealth } from '@duban/read-models';
import { Public } from '../auth/auth';
import { PG_POOL } from '../database/database.module';
import { SERVED_PROJECTIONS } from '../operations/operations.controller';

/** The one thing done to the response here (express's, typed narrowly as the notice controller does). */
interface StatusResponse {
  status(code: number): unknown;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /** 200 when every part is up; 503 naming the part that is down (the database, or a projection stopped on an event). */
  @Get()
  @Public()
  @HealthCheck()
  async check(@Res({ passthrough: true }) res: StatusResponse) {
    try {
      return await this.checkAll();
    } catch (err) {
      // Terminus throws its report as a 503; the API's error filter would reduce it to a bare code, so it is
      // answered here, whole: which part is down, and why.
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(503);
      return err.getResponse();
    }
  }

  private checkAll() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('database');
        try {
          await this.pool.query('SELECT 1');
          return indicator.up();
        } catch (err) {
          return indicator.down({ message: (err as Error).message });
        }
      },
      async () => {
        // A stopped projection means the ledgers silently fall behind the log: that is down, not degraded.
        const indicator = this.indicators.check('projections');
        try {
          const all = await readProjectionHealth(this.pool, SERVED_PROJECTIONS);
          const lag = Object.fromEntries(all.map((p) => [p.name, p.lag]));
          // Names only: /health is public; the event and the error are at /operations/projections, behind a role.
          const failed = all.filter((p) => p.failed).map((p) => p.name);
          if (failed.length) {
            return indicator.down({ message: `投影停止：${failed.join('、')}，详见 /operations/projections PROJECTION_FAILED`, failed, lag });
          }
          return indicator.up({ lag });
        } catch (err) {
          return indicator.down({ message: (err as Error).message });
        }
      },
    ]);
  }
}
