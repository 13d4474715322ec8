import { Controller, Get, Param } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CHECKLIST_AREAS, CHECKLIST_ITEMS, SOURCES } from '@duban/domain';
import { CampaignsQuery, CampaignView } from '@duban/read-models';
import { DirectoryRepository, UnitRow } from '../directory/directory.repository';
import { notFound } from '../ledgers/shared/scope';
import { QueryResponses } from '../openapi/api-responses';

export class ListUnits {}
export class ListCampaigns {}
export class GetCampaign {
  constructor(readonly campaignId: string) {}
}

@QueryHandler(ListUnits)
export class ListUnitsHandler implements IQueryHandler<ListUnits, UnitRow[]> {
  constructor(private readonly directory: DirectoryRepository) {}
  execute() {
    return this.directory.units();
  }
}

@QueryHandler(ListCampaigns)
export class ListCampaignsHandler implements IQueryHandler<ListCampaigns, CampaignView[]> {
  constructor(private readonly campaigns: CampaignsQuery) {}
  execute() {
    return this.campaigns.list();
  }
}

@QueryHandler(GetCampaign)
export class GetCampaignHandler implements IQueryHandler<GetCampaign, CampaignView> {
  constructor(private readonly campaigns: CampaignsQuery) {}
  async execute({ campaignId }: GetCampaign) {
    return (await this.campaigns.get(campaignId)) ?? notFound('专项行动');
  }
}

@ApiTags('reference')
@ApiBearerAuth()
@Controller()
export class ReferenceController {
  constructor(private readonly queries: QueryBus) {}

  @Get('reference/checklist')
  @QueryResponses('Checklist', { without: [400, 404, 503] })
  @ApiOperation({ summary: '排查清单：四个方面 22 项（附件清单三）', operationId: 'getChecklist' })
  checklist() {
    return { areas: CHECKLIST_AREAS, items: CHECKLIST_ITEMS };
  }

  @Get('reference/sources')
  @QueryResponses('Sources', { without: [400, 404, 503] })
  @ApiOperation({ summary: '问题来源', operationId: 'getSources' })
  sources() {
    return SOURCES;
  }

  @Get('units')
  @QueryResponses('Units', { without: [400, 404] })
  @ApiOperation({ summary: '单位：乡镇、县直部门、督查组', operationId: 'listUnits' })
  units(): Promise<UnitRow[]> {
    return this.queries.execute(new ListUnits());
  }

  @Get('campaigns')
  @QueryResponses('CampaignList', { without: [400, 404] })
  @ApiOperation({ summary: '专项行动列表', operationId: 'listCampaigns' })
  campaigns(): Promise<CampaignView[]> {
    return this.queries.execute(new ListCampaigns());
  }

  @Get('campaigns/:campaignId')
  @QueryResponses('CampaignView')
  @ApiOperation({ summary: '专项行动：阶段、政策、日历', operationId: 'getCampaign' })
  campaign(@Param('campaignId') campaignId: string): Promise<CampaignView> {
    return this.queries.execute(new GetCampaign(campaignId));
  }
}
