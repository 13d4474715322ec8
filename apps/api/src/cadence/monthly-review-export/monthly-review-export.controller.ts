import { Controller, Get, Inject, Logger, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { Actor } from '@duban/domain';
import { CadenceReportsQuery } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { CLOCK, Clock } from '../../database/database.module';
import { DirectoryRepository } from '../../directory/directory.repository';
import { sendXlsx, XLSX_CONTENT_TYPE } from '../../exports/xlsx-stream';
import { CampaignIdPipe, CampaignLookup } from '../../campaigns/shared/campaign-lookup';
import { published } from '../shared/published';
import { PeriodPipe } from '../shared/period-params';
import { writeMonthlyReviewWorkbook } from './monthly-review-workbook';
import { DocumentResponses } from '../../openapi/api-responses';

/** 月度讲评排名 as an Excel file: the published review, its formula and the provenance that ties it to the log. */
@ApiTags('cadence')
@ApiBearerAuth()
@Controller('campaigns/:campaignId/monthly-reviews')
export class MonthlyReviewExportController {
  private readonly logger = new Logger('Exports');

  constructor(
    private readonly reports: CadenceReportsQuery,
    private readonly campaigns: CampaignLookup,
    private readonly directory: DirectoryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':month/export')
  @ApiOkResponse({
    description: '月度讲评排名_<月份>_<导出时间>.xlsx',
    content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @DocumentResponses(XLSX_CONTENT_TYPE)
  @ApiOperation({
    summary: '导出月度讲评排名（Excel）：月度讲评（名次、得分、各项指标、表扬/点名）、考评公式、导出说明（发布事件与检查点）',
    operationId: 'exportMonthlyReview',
  })
  async export(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Param('month', new PeriodPipe('month')) month: string,
    @CurrentActor() actor: Actor,
    @Res() res: ServerResponse,
  ): Promise<void> {
    // Refusals come before the first byte, as JSON: an unknown campaign, a month not (yet) reviewed.
    const campaign = await this.campaigns.require(campaignId);
    const review = published(await this.reports.monthlyReview(campaignId, month), '月度讲评', month);
    const exporterUnit = await this.directory.unit(actor.unitId);
    const units = new Map(exporterUnit ? [[exporterUnit.unitId, exporterUnit.name]] : []);
    const now = this.clock.now();
    const result = await sendXlsx(res, this.logger, '月度讲评排名', (open) =>
      writeMonthlyReviewWorkbook({ review, campaign, actor, now, units }, open),
    );
    if (result) {
      this.logger.log(
        { export: '月度讲评排名', by: actor.userId, campaignId, month, rows: result.rows, event: review.eventId },
        'monthly review exported',
      );
    }
  }
}
