import { Controller, Get, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { Actor } from '@duban/domain';
import { CLAIM_STATUSES, ClaimListItem, ClaimListQuery, ClaimStatus, Page } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { PagingDto } from '../shared/paging.dto';
import { DirectoryRepository } from '../../directory/directory.repository';
import { notFound, unitScopeDenied } from '../shared/scope';
import { QueryResponses } from '../../openapi/api-responses';

export class ClaimListFiltersDto extends PagingDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z0-9-]{2,64}$/, { message: '专项行动编号格式不正确' })
  campaignId?: string;

  @ApiPropertyOptional({ enum: CLAIM_STATUSES })
  @IsOptional()
  @IsIn([...CLAIM_STATUSES], { message: '不是有效的认领状态' })
  status?: ClaimStatus;
}

export class GetClaimList {
  constructor(readonly unitId: string, readonly filters: ClaimListFiltersDto, readonly actor: Actor) {}
}

@QueryHandler(GetClaimList)
export class GetClaimListHandler implements IQueryHandler<GetClaimList, Page<ClaimListItem>> {
  constructor(
    private readonly claims: ClaimListQuery,
    private readonly directory: DirectoryRepository,
  ) {}

  async execute({ unitId, filters, actor }: GetClaimList) {
    // Scope first: an official learns nothing about other units, not even whether they exist.
    if (actor.role === 'unit_official' && actor.unitId !== unitId) throw unitScopeDenied();
    // An empty list would read as "nothing dispatched to this unit"; a mistyped unit is not that.
    if (!(await this.directory.unit(unitId))) return notFound('单位');
    return this.claims.list(unitId, filters);
  }
}

@ApiTags('ledgers')
@ApiBearerAuth()
@Controller('units')
export class ClaimListController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':unitId/claim-list')
  @QueryResponses('ClaimListPage')
  @ApiOperation({ summary: '问题认领清单：交办给本单位的问题及认领签字人', operationId: 'getClaimList' })
  list(@Param('unitId') unitId: string, @Query() filters: ClaimListFiltersDto, @CurrentActor() actor: Actor): Promise<Page<ClaimListItem>> {
    return this.queries.execute(new GetClaimList(unitId, filters, actor));
  }
}
