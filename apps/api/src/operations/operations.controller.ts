import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Actor, ForbiddenError, ROLE_LABELS } from '@duban/domain';
import { createProjections, ProjectionHealth, readProjectionHealth } from '@duban/read-models';
import { CurrentActor } from '../auth/auth';
import { PG_POOL } from '../database/database.module';
import { INTEGRITY_ROLES } from '../integrity/integrity.controller';
import { QueryResponses } from '../openapi/api-responses';

/** The projections this deployment serves (names and versions; their options do not matter for status). */
export const SERVED_PROJECTIONS = createProjections().map((p) => ({ name: p.name, version: p.version }));

export interface ProjectionsReport {
  /** True when any projection stopped on an event it cannot apply; /health is red meanwhile. */
  anyFailed: boolean;
  projections: ProjectionHealth[];
}

/**
 * For whoever runs the system: each projection's checkpoint, lag behind the log and the event it stopped at, if it
 * did. The same roles as the integrity checks: the office that runs it, supervisors, and discipline inspectors.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('operations')
export class OperationsController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get('projections')
  @QueryResponses('ProjectionsReport', { without: [400, 404] })
  @ApiOperation({
    summary: '各读模型投影的检查点、落后事件数、是否因某事件停止（事件与错误）；修复后运行 npm run rebuild -- <投影名> 重建',
    operationId: 'listProjections',
  })
  async projections(@CurrentActor() actor: Actor): Promise<ProjectionsReport> {
    if (!(INTEGRITY_ROLES as readonly string[]).includes(actor.role)) {
      throw new ForbiddenError(
        'ROLE_REQUIRED',
        'ROLE_REQUIRED',
        `查看运维状态需要角色：${INTEGRITY_ROLES.map((r) => ROLE_LABELS[r]).join('、')}`,
      );
    }
    const projections = await readProjectionHealth(this.pool, SERVED_PROJECTIONS);
    return { anyFailed: projections.some((p) => p.failed), projections };
  }
}
