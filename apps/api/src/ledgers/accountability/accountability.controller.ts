import { Controller, Get, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { Actor, InvalidInputError } from '@duban/domain';
import {
  ACCOUNTABILITY_KINDS,
  ACCOUNTABILITY_LEVELS,
  AccountabilityKind,
  AccountabilityLedgerQuery,
  AccountabilityLevel,
  AccountabilityPage,
} from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { LocalDateField, OneOf, UnitId } from '../../http/dto-fields';
import { PagingDto } from '../shared/paging.dto';
import { scopeOf } from '../shared/scope';
import { QueryResponses } from '../../openapi/api-responses';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AccountabilityFiltersDto extends PagingDto {
  @UnitId('专项行动编号', true)
  campaignId?: string;

  @UnitId('责任单位（后果记在其名下的单位）', true)
  unitId?: string;

  @ApiPropertyOptional({ description: '责任人用户编号（后果记在其名下的人）', example: 'off-town-01-a' })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @Matches(/^[A-Za-z0-9._:@-]{1,128}$/, { message: '用户编号只能包含字母、数字和 ._:@-' })
  userId?: string;

  @ApiPropertyOptional({ description: '问题编号（UUID）' })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @Matches(UUID, { message: '必须是 UUID' })
  findingId?: string;

  @ApiPropertyOptional({ description: '举一反三编号（UUID）：其各单位自查任务逾期未签字及升级' })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @Matches(UUID, { message: '必须是 UUID' })
  propagationId?: string;

  @OneOf(ACCOUNTABILITY_KINDS, '后果类别：逾期未交办、逾期未认领、未按时报送进展、问题逾期、升级、验收超期、回头看重新打开、逾期未完成举一反三自查', true)
  kind?: AccountabilityKind;

  @OneOf(ACCOUNTABILITY_LEVELS, '升级层级：通报、约谈、问责', true)
  level?: AccountabilityLevel;

  @LocalDateField('起始日期（含，北京时间）', true)
  from?: string;

  @LocalDateField('截止日期（含，北京时间）', true)
  to?: string;
}

export class GetAccountabilityLedger {
  constructor(readonly filters: AccountabilityFiltersDto, readonly actor: Actor) {}
}

@QueryHandler(GetAccountabilityLedger)
export class GetAccountabilityLedgerHandler implements IQueryHandler<GetAccountabilityLedger, AccountabilityPage> {
  constructor(private readonly ledger: AccountabilityLedgerQuery) {}

  execute({ filters, actor }: GetAccountabilityLedger) {
    if (filters.from && filters.to && filters.from > filters.to) {
      throw new InvalidInputError('INVALID_DATE_RANGE', 'to', `截止日期 ${filters.to} 早于起始日期 ${filters.from}`);
    }
    // As every ledger: a unit official reads their own unit's record only; a filter cannot widen that.
    return this.ledger.list(
      { ...filters, findingId: filters.findingId?.toLowerCase(), propagationId: filters.propagationId?.toLowerCase() },
      scopeOf(actor),
    );
  }
}

@ApiTags('ledgers')
@ApiBearerAuth()
@Controller('ledgers')
export class AccountabilityLedgerController {
  constructor(private readonly queries: QueryBus) {}

  @Get('accountability')
  @QueryResponses('AccountabilityPage')
  @ApiOperation({
    summary: '问责台账：每次未报、逾期、升级（通报→约谈→问责）、回头看重新打开，记在当时签字的责任人/责任单位名下；附按人、按单位统计',
    operationId: 'getAccountabilityLedger',
  })
  list(@Query() filters: AccountabilityFiltersDto, @CurrentActor() actor: Actor): Promise<AccountabilityPage> {
    return this.queries.execute(new GetAccountabilityLedger(filters, actor));
  }
}
