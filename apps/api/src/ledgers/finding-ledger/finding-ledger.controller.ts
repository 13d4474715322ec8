import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { Actor, FINDING_STATUSES, SEVERITIES } from '@duban/domain';
import { FindingLedgerItem, FindingLedgerQuery, Page, PropagationCompleteness, PropagationQuery } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { CLOCK, Clock } from '../../database/database.module';
import { ChecklistCode, OneOf, UnitId } from '../../http/dto-fields';
import { FindingIdPipe } from '../../http/request-context';
import { PagingDto } from '../shared/paging.dto';
import { notFound, scopeOf, unitScopeDenied } from '../shared/scope';
import { QueryResponses } from '../../openapi/api-responses';

export class FindingLedgerFiltersDto extends PagingDto {
  @UnitId('专项行动编号', true)
  campaignId?: string;

  @UnitId('当前责任单位', true)
  unitId?: string;

  @OneOf(FINDING_STATUSES, '问题状态', true)
  state?: string;

  @ChecklistCode(true)
  categoryCode?: string;

  @OneOf(SEVERITIES, '严重程度（红黄蓝）', true)
  severity?: string;

  @ApiPropertyOptional({ description: 'true：已超期未销号' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: '必须是 true 或 false' })
  overdue?: boolean;
}

export class ListFindings {
  constructor(readonly filters: FindingLedgerFiltersDto, readonly actor: Actor) {}
}

/**
 * One finding as its page shows it: the ledger row, and — for the origin of a 举一反三 — how far the fan-out has come
 * over all its propagations (units attested / asked, problems found, tasks past due unsigned); null when none.
 */
export type FindingDetail = FindingLedgerItem & { propagation: (PropagationCompleteness & { propagationIds: string[] }) | null };

export class GetFinding {
  constructor(readonly findingId: string, readonly actor: Actor) {}
}

@QueryHandler(ListFindings)
export class ListFindingsHandler implements IQueryHandler<ListFindings, Page<FindingLedgerItem>> {
  constructor(private readonly ledger: FindingLedgerQuery, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ filters, actor }: ListFindings) {
    return this.ledger.list(filters, scopeOf(actor), this.clock.now());
  }
}

@QueryHandler(GetFinding)
export class GetFindingHandler implements IQueryHandler<GetFinding, FindingDetail> {
  constructor(
    private readonly ledger: FindingLedgerQuery,
    private readonly propagations: PropagationQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ findingId, actor }: GetFinding): Promise<FindingDetail> {
    const now = this.clock.now();
    const item = await this.ledger.get(findingId, now, scopeOf(actor));
    if (item) {
      const { findingId: _, ...fanOut } = await this.propagations.completenessOf(findingId, now);
      return { ...item, propagation: fanOut.unitsAsked > 0 ? fanOut : null };
    }
    // Say "not yours" rather than "not there" only when it exists in another unit.
    if (actor.role === 'unit_official' && (await this.ledger.get(findingId, now))) throw unitScopeDenied();
    return notFound('问题');
  }
}

@ApiTags('ledgers')
@ApiBearerAuth()
@Controller('findings')
export class FindingLedgerController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @QueryResponses('FindingLedgerPage')
  @ApiOperation({ summary: '问题台账：状态、责任单位、责任人、期限、超期天数、各环节签字人', operationId: 'listFindings' })
  list(@Query() filters: FindingLedgerFiltersDto, @CurrentActor() actor: Actor): Promise<Page<FindingLedgerItem>> {
    return this.queries.execute(new ListFindings(filters, actor));
  }

  @Get(':findingId')
  @QueryResponses('FindingDetail')
  @ApiOperation({ summary: '单个问题（台账行；作为举一反三源问题时附各单位自查完成情况）', operationId: 'getFinding' })
  get(@Param('findingId', FindingIdPipe) findingId: string, @CurrentActor() actor: Actor): Promise<FindingDetail> {
    return this.queries.execute(new GetFinding(findingId, actor));
  }
}
