import { Controller, Get, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CadenceReportsQuery, DispatchListView } from '@duban/read-models';
import { CampaignIdPipe, CampaignLookup } from '../../campaigns/shared/campaign-lookup';
import { published } from '../shared/published';
import { DateRangeDto } from '../shared/date-range.dto';
import { assertDateRange, PeriodPipe } from '../shared/period-params';
import { QueryResponses } from '../../openapi/api-responses';

export class ListDispatchLists {
  constructor(readonly campaignId: string, readonly range: DateRangeDto) {}
}

export class GetDispatchList {
  constructor(readonly campaignId: string, readonly date: string) {}
}

@QueryHandler(ListDispatchLists)
export class ListDispatchListsHandler implements IQueryHandler<ListDispatchLists, DispatchListView[]> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId, range }: ListDispatchLists): Promise<DispatchListView[]> {
    assertDateRange(range);
    await this.campaigns.require(campaignId);
    return this.reports.dispatchLists(campaignId, { from: range.from, to: range.to });
  }
}

@QueryHandler(GetDispatchList)
export class GetDispatchListHandler implements IQueryHandler<GetDispatchList, DispatchListView> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId, date }: GetDispatchList): Promise<DispatchListView> {
    await this.campaigns.require(campaignId);
    return published(await this.reports.dispatchList(campaignId, date), '日交办清单', date);
  }
}

/** 日交办: what stays undispatched past its SLA, and the notices issued since the previous list (gapless numbers). */
@ApiTags('cadence')
@ApiBearerAuth()
@Controller('campaigns/:campaignId/dispatch-lists')
export class DispatchListsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @QueryResponses('DispatchListList')
  @ApiOperation({ summary: '日交办清单列表：已发布的各日清单，可按日期范围', operationId: 'listDispatchLists' })
  list(@Param('campaignId', CampaignIdPipe) campaignId: string, @Query() range: DateRangeDto): Promise<DispatchListView[]> {
    return this.queries.execute(new ListDispatchLists(campaignId, range));
  }

  @Get(':date')
  @QueryResponses('DispatchListView')
  @ApiOperation({
    summary: '某日日交办清单：超时未交办（提请督查办）、时限内待交办、新发督办通知书及文号是否连续',
    operationId: 'getDispatchList',
  })
  get(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Param('date', new PeriodPipe('date')) date: string,
  ): Promise<DispatchListView> {
    return this.queries.execute(new GetDispatchList(campaignId, date));
  }
}
