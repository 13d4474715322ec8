import { Controller, Get, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BulletinView, CadenceReportsQuery } from '@duban/read-models';
import { CampaignIdPipe, CampaignLookup } from '../../campaigns/shared/campaign-lookup';
import { published } from '../shared/published';
import { DateRangeDto } from '../shared/date-range.dto';
import { assertDateRange, PeriodPipe } from '../shared/period-params';
import { QueryResponses } from '../../openapi/api-responses';

export class ListBulletins {
  constructor(readonly campaignId: string, readonly range: DateRangeDto) {}
}

export class GetBulletin {
  constructor(readonly campaignId: string, readonly date: string) {}
}

@QueryHandler(ListBulletins)
export class ListBulletinsHandler implements IQueryHandler<ListBulletins, BulletinView[]> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId, range }: ListBulletins): Promise<BulletinView[]> {
    assertDateRange(range);
    await this.campaigns.require(campaignId);
    return this.reports.bulletins(campaignId, { from: range.from, to: range.to });
  }
}

@QueryHandler(GetBulletin)
export class GetBulletinHandler implements IQueryHandler<GetBulletin, BulletinView> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId, date }: GetBulletin): Promise<BulletinView> {
    await this.campaigns.require(campaignId);
    return published(await this.reports.bulletin(campaignId, date), '日督查通报', date);
  }
}

/** 日报 / 通报 (点人点事): published at each workday's inspection cutoff, circulated county-wide, readable by every role. */
@ApiTags('cadence')
@ApiBearerAuth()
@Controller('campaigns/:campaignId/bulletins')
export class BulletinsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @QueryResponses('BulletinList')
  @ApiOperation({ summary: '日督查通报（点人点事）列表：已发布的各日通报，可按日期范围', operationId: 'listBulletins' })
  list(@Param('campaignId', CampaignIdPipe) campaignId: string, @Query() range: DateRangeDto): Promise<BulletinView[]> {
    return this.queries.execute(new ListBulletins(campaignId, range));
  }

  @Get(':date')
  @QueryResponses('BulletinView')
  @ApiOperation({
    summary: '某日日督查通报：新发现、交办、销号、逾期、未报进度、督查组未报日报、升级，按单位与责任人',
    operationId: 'getBulletin',
  })
  get(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Param('date', new PeriodPipe('date')) date: string,
  ): Promise<BulletinView> {
    return this.queries.execute(new GetBulletin(campaignId, date));
  }
}
