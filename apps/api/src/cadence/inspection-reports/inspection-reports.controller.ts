import { Controller, Get, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ForbiddenError, InvalidInputError, ROLE_LABELS } from '@duban/domain';
import { InspectionReportsQuery, InspectionReportView } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { LocalDateField, UnitId } from '../../http/dto-fields';
import { CampaignLookup } from '../../campaigns/shared/campaign-lookup';
import { assertDateRange, assertPeriod } from '../shared/period-params';
import { QueryResponses } from '../../openapi/api-responses';

export class InspectionReportsFiltersDto {
  @UnitId('专项行动编号')
  campaignId!: string;

  @LocalDateField('某一督查日：列出每个督查组当日的报告（未报送的为 pending）；不能与 from/to 同用', true)
  date?: string;

  @LocalDateField('起始日期（含，北京时间）', true)
  from?: string;

  @LocalDateField('截止日期（含，北京时间）', true)
  to?: string;

  @UnitId('督查组（单位编号）', true)
  teamId?: string;
}

/** Supervision material: the teams, the office, the discipline inspectors and administrators read it; units do not. */
const READERS = ['inspector', 'supervisor', 'discipline_inspector', 'admin'] as const;

export class GetInspectionReports {
  constructor(readonly filters: InspectionReportsFiltersDto, readonly actor: Actor) {}
}

@QueryHandler(GetInspectionReports)
export class GetInspectionReportsHandler implements IQueryHandler<GetInspectionReports, InspectionReportView[]> {
  constructor(
    private readonly reports: InspectionReportsQuery,
    private readonly campaigns: CampaignLookup,
  ) {}

  async execute({ filters, actor }: GetInspectionReports): Promise<InspectionReportView[]> {
    if (!(READERS as readonly string[]).includes(actor.role)) {
      // A day's reports list findings of every town and department; a unit sees its own findings in its ledgers.
      throw new ForbiddenError(
        'ROLE_REQUIRED',
        'ROLE_REQUIRED',
        `日督查报告为督查工作材料，需要角色：${READERS.map((r) => ROLE_LABELS[r]).join('、')}`,
      );
    }
    const { campaignId, date, from, to, teamId } = filters;
    for (const field of ['date', 'from', 'to'] as const) if (filters[field]) assertPeriod('date', filters[field], field);
    if (date && (from || to)) {
      throw new InvalidInputError('DATE_WITH_RANGE', 'date', '按日查询（date）不能与日期范围（from、to）同时使用');
    }
    assertDateRange({ from, to });
    await this.campaigns.require(campaignId);
    if (date) {
      const day = await this.reports.forDay(campaignId, date);
      return teamId ? day.filter((r) => r.teamId === teamId) : day;
    }
    return this.reports.list(campaignId, { from, to, teamId });
  }
}

@ApiTags('cadence')
@ApiBearerAuth()
@Controller('inspection-reports')
export class InspectionReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @QueryResponses('InspectionReports')
  @ApiOperation({
    summary:
      '日督查报告：?date= 列出当日每个督查组（已报、迟报、未报、未报后补报、待报）；?from=&to=&teamId= 按期间列出（督查组、督查办、纪委监委、管理员）',
    operationId: 'listInspectionReports',
  })
  list(@Query() filters: InspectionReportsFiltersDto, @CurrentActor() actor: Actor): Promise<InspectionReportView[]> {
    return this.queries.execute(new GetInspectionReports(filters, actor));
  }
}
