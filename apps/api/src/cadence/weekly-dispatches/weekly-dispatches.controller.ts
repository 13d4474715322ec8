import { Controller, Get, Param } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CadenceReportsQuery, WeeklyDispatchView } from '@duban/read-models';
import { CampaignIdPipe, CampaignLookup } from '../../campaigns/shared/campaign-lookup';
import { published } from '../shared/published';
import { PeriodPipe } from '../shared/period-params';
import { QueryResponses } from '../../openapi/api-responses';

export class ListWeeklyDispatches {
  constructor(readonly campaignId: string) {}
}

export class GetWeeklyDispatch {
  constructor(readonly campaignId: string, readonly week: string) {}
}

@QueryHandler(ListWeeklyDispatches)
export class ListWeeklyDispatchesHandler implements IQueryHandler<ListWeeklyDispatches, WeeklyDispatchView[]> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId }: ListWeeklyDispatches): Promise<WeeklyDispatchView[]> {
    await this.campaigns.require(campaignId);
    return this.reports.weeklyDispatches(campaignId);
  }
}

@QueryHandler(GetWeeklyDispatch)
export class GetWeeklyDispatchHandler implements IQueryHandler<GetWeeklyDispatch, WeeklyDispatchView> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId, week }: GetWeeklyDispatch): Promise<WeeklyDispatchView> {
    await this.campaigns.require(campaignId);
    return published(await this.reports.weeklyDispatch(campaignId, week), '周调度', week);
  }
}

/** 周调度: per unit, open / due this week / overdue / escalated, and the units listed for an interview (chronic overdue). */
@ApiTags('cadence')
@ApiBearerAuth()
@Controller('campaigns/:campaignId/weekly-dispatches')
export class WeeklyDispatchesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @QueryResponses('WeeklyDispatchList')
  @ApiOperation({ summary: '周调度列表：已发布的各周调度', operationId: 'listWeeklyDispatches' })
  list(@Param('campaignId', CampaignIdPipe) campaignId: string): Promise<WeeklyDispatchView[]> {
    return this.queries.execute(new ListWeeklyDispatches(campaignId));
  }

  @Get(':week')
  @QueryResponses('WeeklyDispatchView')
  @ApiOperation({
    summary: '某周周调度（ISO 周 YYYY-Www）：各单位在办、本周到期、逾期、升级；连续逾期单位列入约谈名单',
    operationId: 'getWeeklyDispatch',
  })
  get(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Param('week', new PeriodPipe('week')) week: string,
  ): Promise<WeeklyDispatchView> {
    return this.queries.execute(new GetWeeklyDispatch(campaignId, week));
  }
}
