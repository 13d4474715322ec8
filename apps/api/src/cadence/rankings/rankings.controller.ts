import { Controller, Get, Param } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@duban/domain';
import { AccumulatedRanking, CadenceReportsQuery } from '@duban/read-models';
import { CampaignIdPipe, CampaignLookup } from '../../campaigns/shared/campaign-lookup';
import { PeriodPipe } from '../shared/period-params';
import { QueryResponses } from '../../openapi/api-responses';

export class GetQuarterlyRanking {
  constructor(readonly campaignId: string, readonly quarter: string) {}
}

export class GetAnnualRanking {
  constructor(readonly campaignId: string, readonly year: string) {}
}

/** A ranking accumulates published monthly reviews: with none published in the period there is nothing to rank. */
function accumulated(ranking: AccumulatedRanking, what: string, period: string): AccumulatedRanking {
  if (ranking.months.length === 0) {
    throw new NotFoundError('REPORT_NOT_PUBLISHED', `${period} 尚无已发布的月度讲评，${what}无从累计`);
  }
  return ranking;
}

@QueryHandler(GetQuarterlyRanking)
export class GetQuarterlyRankingHandler implements IQueryHandler<GetQuarterlyRanking, AccumulatedRanking> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId, quarter }: GetQuarterlyRanking): Promise<AccumulatedRanking> {
    await this.campaigns.require(campaignId);
    return accumulated(await this.reports.quarterly(campaignId, quarter), '季排序', quarter);
  }
}

@QueryHandler(GetAnnualRanking)
export class GetAnnualRankingHandler implements IQueryHandler<GetAnnualRanking, AccumulatedRanking> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId, year }: GetAnnualRanking): Promise<AccumulatedRanking> {
    await this.campaigns.require(campaignId);
    return accumulated(await this.reports.annual(campaignId, Number(year)), '年总评', year);
  }
}

/** 季排序 / 年总评: the published monthly scores summed and averaged per unit, ranked by the average. */
@ApiTags('cadence')
@ApiBearerAuth()
@Controller('campaigns/:campaignId/rankings')
export class RankingsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('quarterly/:quarter')
  @QueryResponses('AccumulatedRanking')
  @ApiOperation({
    summary: '季度排序（YYYY-Qn）：累计本季已发布的月度讲评，按参与排名月份的平均分排序',
    operationId: 'getQuarterlyRanking',
  })
  quarterly(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Param('quarter', new PeriodPipe('quarter')) quarter: string,
  ): Promise<AccumulatedRanking> {
    return this.queries.execute(new GetQuarterlyRanking(campaignId, quarter));
  }

  @Get('annual/:year')
  @QueryResponses('AccumulatedRanking')
  @ApiOperation({ summary: '年度总评（YYYY）：累计全年已发布的月度讲评，按平均分排序', operationId: 'getAnnualRanking' })
  annual(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Param('year', new PeriodPipe('year')) year: string,
  ): Promise<AccumulatedRanking> {
    return this.queries.execute(new GetAnnualRanking(campaignId, year));
  }
}
