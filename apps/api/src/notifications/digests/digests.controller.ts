import { Controller, Get, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@duban/domain';
import { DigestsQuery, DigestView, Page } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { LocalDateField, UnitId } from '../../http/dto-fields';
import { PagingDto } from '../../ledgers/shared/paging.dto';
import { scopeOf, unitScopeDenied } from '../../ledgers/shared/scope';
import { QueryResponses } from '../../openapi/api-responses';

export class DigestFiltersDto extends PagingDto {
  @UnitId('专项行动编号', true)
  campaignId?: string;

  @UnitId('单位编号（乡镇/部门只能查本单位，缺省即本单位）', true)
  unitId?: string;

  @LocalDateField('起始工作日（含）', true)
  from?: string;

  @LocalDateField('截止工作日（含）', true)
  to?: string;
}

export class GetDigests {
  constructor(readonly actor: Actor, readonly filters: DigestFiltersDto) {}
}

@QueryHandler(GetDigests)
export class GetDigestsHandler implements IQueryHandler<GetDigests, Page<DigestView>> {
  constructor(private readonly digests: DigestsQuery) {}

  execute({ actor, filters }: GetDigests): Promise<Page<DigestView>> {
    const scope = scopeOf(actor);
    if (scope.unitId && filters.unitId && filters.unitId !== scope.unitId) throw unitScopeDenied();
    const { campaignId, from, to } = filters;
    return this.digests.list({ campaignId, unitId: scope.unitId ?? filters.unitId, from, to }, filters);
  }
}

/**
 * 摘要记录: the daily digests recorded (one per campaign, unit and workday), newest first — what each unit was told
 * each morning and to whom it went. A unit official reads their own unit's; everyone else any unit's.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('digests')
export class DigestsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @QueryResponses('DigestPage', { without: [404] })
  @ApiOperation({ summary: '每日摘要记录（按单位、专项行动、工作日筛选；乡镇/部门只看本单位）', operationId: 'listDigests' })
  list(@Query() filters: DigestFiltersDto, @CurrentActor() actor: Actor): Promise<Page<DigestView>> {
    return this.queries.execute(new GetDigests(actor, filters));
  }
}
