import { Controller, Get, Param } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CadenceReportsQuery, MonthlyReviewView } from '@duban/read-models';
import { CampaignIdPipe, CampaignLookup } from '../../campaigns/shared/campaign-lookup';
import { published } from '../shared/published';
import { PeriodPipe } from '../shared/period-params';
import { QueryResponses } from '../../openapi/api-responses';

export class ListMonthlyReviews {
  constructor(readonly campaignId: string) {}
}

export class GetMonthlyReview {
  constructor(readonly campaignId: string, readonly month: string) {}
}

@QueryHandler(ListMonthlyReviews)
export class ListMonthlyReviewsHandler implements IQueryHandler<ListMonthlyReviews, MonthlyReviewView[]> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId }: ListMonthlyReviews): Promise<MonthlyReviewView[]> {
    await this.campaigns.require(campaignId);
    return this.reports.monthlyReviews(campaignId);
  }
}

@QueryHandler(GetMonthlyReview)
export class GetMonthlyReviewHandler implements IQueryHandler<GetMonthlyReview, MonthlyReviewView> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId, month }: GetMonthlyReview): Promise<MonthlyReviewView> {
    await this.campaigns.require(campaignId);
    return published(await this.reports.monthlyReview(campaignId, month), '月度讲评', month);
  }
}

/** 月讲评: every unit scored by the published formula and ranked; top ranks commended, the last named. */
@ApiTags('cadence')
@ApiBearerAuth()
@Controller('campaigns/:campaignId/monthly-reviews')
export class MonthlyReviewsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @QueryResponses('MonthlyReviewList')
  @ApiOperation({ summary: '月度讲评列表：已发布的各月讲评', operationId: 'listMonthlyReviews' })
  list(@Param('campaignId', CampaignIdPipe) campaignId: string): Promise<MonthlyReviewView[]> {
    return this.queries.execute(new ListMonthlyReviews(campaignId));
  }

  @Get(':month')
  @QueryResponses('MonthlyReviewView')
  @ApiOperation({
    summary: '某月月度讲评（YYYY-MM）：各单位指标、得分、名次（并列同名次），表扬与点名，所用考评公式版本',
    operationId: 'getMonthlyReview',
  })
  get(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Param('month', new PeriodPipe('month')) month: string,
  ): Promise<MonthlyReviewView> {
    return this.queries.execute(new GetMonthlyReview(campaignId, month));
  }
}
