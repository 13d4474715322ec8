import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Actor, FINDING_STATUSES } from '@duban/domain';
import { FindingLedgerItem, FindingLedgerQuery, Page } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { CLOCK, Clock } from '../../database/database.module';
import { FindingIdPipe } from '../../findings/shared/request-context';
import { notFound, scopeOf, unitScopeDenied } from '../shared/scope';

export class FindingLedgerFiltersDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z0-9-]{2,64}$/, { message: '专项行动编号格式不正确' })
  campaignId?: string;

  @ApiPropertyOptional({ description: '当前责任单位' }) @IsOptional() @Matches(/^[a-z0-9-]{2,64}$/, { message: '单位编号格式不正确' })
  unitId?: string;

  @ApiPropertyOptional({ enum: FINDING_STATUSES })
  @IsOptional()
  @IsIn(FINDING_STATUSES, { message: '不是有效的问题状态' })
  state?: string;

  @ApiPropertyOptional({ example: '2.3' }) @IsOptional() @Matches(/^[1-9]\.[1-9][0-9]?$/, { message: '清单条目编号格式应为 2.3' })
  categoryCode?: string;

  @ApiPropertyOptional({ enum: ['red', 'yellow', 'blue'] })
  @IsOptional()
  @IsIn(['red', 'yellow', 'blue'], { message: '必须是 red、yellow、blue 之一' })
  severity?: string;

  @ApiPropertyOptional({ description: 'true：已超期未销号' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: '必须是 true 或 false' })
  overdue?: boolean;

  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt({ message: '必须是整数' }) @Min(1, { message: '至少为 1' })
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  @Max(200, { message: '不能超过 200' })
  pageSize?: number;
}

export class ListFindings {
  constructor(readonly filters: FindingLedgerFiltersDto, readonly actor: Actor) {}
}

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
export class GetFindingHandler implements IQueryHandler<GetFinding, FindingLedgerItem> {
  constructor(private readonly ledger: FindingLedgerQuery, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ findingId, actor }: GetFinding) {
    const now = this.clock.now();
    const item = await this.ledger.get(findingId, now, scopeOf(actor));
    if (item) return item;
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
  @ApiOperation({ summary: '问题台账：状态、责任单位、责任人、期限、超期天数、各环节签字人', operationId: 'listFindings' })
  list(@Query() filters: FindingLedgerFiltersDto, @CurrentActor() actor: Actor): Promise<Page<FindingLedgerItem>> {
    return this.queries.execute(new ListFindings(filters, actor));
  }

  @Get(':findingId')
  @ApiOperation({ summary: '单个问题（台账行）', operationId: 'getFinding' })
  get(@Param('findingId', FindingIdPipe) findingId: string, @CurrentActor() actor: Actor): Promise<FindingLedgerItem> {
    return this.queries.execute(new GetFinding(findingId, actor));
  }
}
