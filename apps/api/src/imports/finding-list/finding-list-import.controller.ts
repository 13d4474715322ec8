import { Controller, HttpCode, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor } from '@duban/domain';
import { CurrentActor } from '../../auth/auth';
import { CampaignIdPipe } from '../../campaigns/shared/campaign-lookup';
import { XLSX_CONTENT_TYPE } from '../../exports/xlsx-stream';
import { CommandCtx, type CommandContext, CommandHeaders } from '../../http/request-context';
import { CommandResponses, DocumentResponses, QueryResponses } from '../../openapi/api-responses';
import { ApiXlsxUpload, readUpload } from '../xlsx/upload';
import { type FindingListCommit, type FindingListDryRun, FindingListImportService, parseChoices } from './finding-list-import.service';

const CHOICES = {
  choices: {
    type: 'string' as const,
    description: '需选择的行的选择，JSON：{"<行号>": {"townUnitId"?, "villageUnitId"?, "unitId"?, "categoryCode"?}}，取自预检的 suggestions',
  },
};

/**
 * 导入问题清单: a county's existing list into a campaign, in two steps over the same upload — a dry run (verdict per
 * row, or the same as a workbook) that writes nothing, and the commit that applies every accepted row or none.
 */
@ApiTags('imports')
@ApiBearerAuth()
@Controller('campaigns/:campaignId/finding-imports')
export class FindingListImportController {
  constructor(private readonly imports: FindingListImportService) {}

  @Post('dry-run')
  @HttpCode(200)
  @ApiXlsxUpload(CHOICES)
  @QueryResponses('FindingListDryRun')
  @ApiOperation({
    summary: '导入问题清单·预检：逐行给出结论（可导入 / 需选择 / 不予导入 / 已导入）及列和原因，不写入任何数据（县巩固办督查办人员或管理员）',
    operationId: 'dryRunFindingListImport',
  })
  async dryRun(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @CurrentActor() actor: Actor,
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<FindingListDryRun> {
    const upload = await readUpload(req, res);
    return this.imports.dryRun(campaignId, upload, actor, parseChoices(upload.fields.choices));
  }

  @Post('dry-run/report.xlsx')
  @HttpCode(200)
  @ApiXlsxUpload(CHOICES)
  @DocumentResponses(XLSX_CONTENT_TYPE)
  @ApiOperation({
    summary: '导入问题清单·预检报告（XLSX）：原表各行加“导入结论”“说明”“可选项”三列，另附说明页',
    operationId: 'dryRunFindingListImportReport',
  })
  async report(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @CurrentActor() actor: Actor,
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<StreamableFile> {
    const upload = await readUpload(req, res);
    const xlsx = await this.imports.report(campaignId, upload, actor, parseChoices(upload.fields.choices));
    return new StreamableFile(xlsx, {
      type: XLSX_CONTENT_TYPE,
      disposition: `attachment; filename="finding-import-report.xlsx"; filename*=UTF-8''${encodeURIComponent('问题清单导入预检报告.xlsx')}`,
    });
  }

  @Post()
  @HttpCode(200)
  @CommandHeaders()
  @ApiXlsxUpload(CHOICES)
  @CommandResponses('FindingListCommit')
  @ApiOperation({
    summary:
      '导入问题清单：导入全部“可导入”的行与已作出选择的行，一个幂等键、一次原子写入，全部成功或全部不变；同一文件再次导入不会重复。未销号的问题登记为待交办，已销号的作为历史导入',
    operationId: 'commitFindingListImport',
  })
  async commit(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @CommandCtx() ctx: CommandContext,
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<FindingListCommit> {
    const upload = await readUpload(req, res);
    return this.imports.commit(campaignId, upload, ctx, parseChoices(upload.fields.choices));
  }
}
