import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { Actor } from '@duban/domain';
import { OriginCompleteness, PropagationQuery, PropagationView } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { CLOCK, Clock } from '../../database/database.module';
import { UnitId } from '../../http/dto-fields';
import { FindingIdPipe, UuidPipe } from '../../http/request-context';
import { notFound, scopeOf } from '../../ledgers/shared/scope';
import { QueryResponses } from '../../openapi/api-responses';

export class PropagationFiltersDto {
  @UnitId('专项行动编号', true)
  campaignId?: string;

  @ApiPropertyOptional({ description: '源问题编号', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: '必须是 UUID' })
  originFindingId?: string;
}

export class GetPropagation {
  constructor(readonly propagationId: string, readonly actor: Actor) {}
}
export class ListPropagations {
  constructor(readonly filters: PropagationFiltersDto, readonly actor: Actor) {}
}
export class GetOriginCompleteness {
  constructor(readonly findingId: string) {}
}

// Everyone signed in reads a fan-out and its counts (the county asks every unit the same thing); a unit official
// sees the tasks of their own unit only.
@QueryHandler(GetPropagation)
export class GetPropagationHandler implements IQueryHandler<GetPropagation, PropagationView> {
  constructor(private readonly query: PropagationQuery, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ propagationId, actor }: GetPropagation): Promise<PropagationView> {
    return (await this.query.get(propagationId, this.clock.now(), scopeOf(actor))) ?? notFound('举一反三');
  }
}

@QueryHandler(ListPropagations)
export class ListPropagationsHandler implements IQueryHandler<ListPropagations, { items: PropagationView[] }> {
  constructor(private readonly query: PropagationQuery, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ filters, actor }: ListPropagations): Promise<{ items: PropagationView[] }> {
    const originFindingId = filters.originFindingId?.toLowerCase();
    return { items: await this.query.list({ campaignId: filters.campaignId, originFindingId }, this.clock.now(), scopeOf(actor)) };
  }
}

@QueryHandler(GetOriginCompleteness)
export class GetOriginCompletenessHandler implements IQueryHandler<GetOriginCompleteness, OriginCompleteness> {
  constructor(private readonly query: PropagationQuery, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ findingId }: GetOriginCompleteness): Promise<OriginCompleteness> {
    return this.query.completenessOf(findingId, this.clock.now());
  }
}

@ApiTags('propagation')
@ApiBearerAuth()
@Controller()
export class PropagationQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get('propagations')
  @QueryResponses('PropagationList', { without: [404] })
  @ApiOperation({ summary: '举一反三列表：各单位自查进度（已签字/应自查、发现问题数、超期未签）', operationId: 'listPropagations' })
  list(@Query() filters: PropagationFiltersDto, @CurrentActor() actor: Actor): Promise<{ items: PropagationView[] }> {
    return this.queries.execute(new ListPropagations(filters, actor));
  }

  @Get('propagations/:propagationId')
  @QueryResponses('PropagationView')
  @ApiOperation({ summary: '一次举一反三：各单位自查任务的状态、认领人、期限、结论', operationId: 'getPropagation' })
  get(@Param('propagationId', new UuidPipe('propagationId')) propagationId: string, @CurrentActor() actor: Actor): Promise<PropagationView> {
    return this.queries.execute(new GetPropagation(propagationId, actor));
  }

  @Get('findings/:findingId/propagation')
  @QueryResponses('OriginCompleteness', { without: [404] })
  @ApiOperation({ summary: '源问题的举一反三完成度：已签字单位/应自查单位、发现问题数', operationId: 'getOriginCompleteness' })
  completeness(@Param('findingId', FindingIdPipe) findingId: string): Promise<OriginCompleteness> {
    return this.queries.execute(new GetOriginCompleteness(findingId));
  }
}
