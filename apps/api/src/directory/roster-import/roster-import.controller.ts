import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor } from '@duban/domain';
import { CurrentActor } from '../../auth/auth';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { ApiXlsxUpload, readUpload } from '../../imports/xlsx/upload';
import { CommandResponses, DocumentResponses, QueryResponses } from '../../openapi/api-responses';
import { requireDirectoryRole } from '../directory-access';
import { RosterImport } from './roster-import';
import { rosterTemplate } from './roster-sheets';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 名册导入（管理员）: the template, a dry run that writes nothing, and the all-or-nothing commit. */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('directory/roster-imports')
export class RosterImportController {
  constructor(private readonly roster: RosterImport) {}

  @Get('template')
  @DocumentResponses(XLSX, { without: [400, 404] })
  @ApiOperation({ summary: '下载名册模板（管理员）：“单位”“人员”两张表和填写说明', operationId: 'getRosterTemplate' })
  async template(@CurrentActor() actor: Actor, @Res() res: ServerResponse): Promise<void> {
    requireDirectoryRole(actor, ['admin'], '下载名册模板');
    const buf = await rosterTemplate();
    res.setHeader('Content-Type', XLSX);
    res.setHeader('Content-Disposition', `attachment; filename="roster-template.xlsx"; filename*=UTF-8''${encodeURIComponent('单位人员名册模板.xlsx')}`);
    res.setHeader('Content-Length', String(buf.length));
    res.end(buf);
  }

  @Post('dry-run')
  @HttpCode(200)
  @ApiXlsxUpload()
  @QueryResponses('RosterDryRun', { without: [404] })
  @ApiOperation({
    summary: '试导入名册（管理员）：逐行给出 可导入 / 已存在 / 拒绝（表、行、列、原因），不写入任何记录',
    operationId: 'dryRunRosterImport',
  })
  async dryRun(@CurrentActor() actor: Actor, @Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse) {
    const file = await readUpload(req, res);
    requireDirectoryRole(actor, ['admin'], '导入名册');
    return this.roster.dryRun(file.buffer, file.fileName, actor);
  }

  @Post()
  @HttpCode(200)
  @ApiXlsxUpload()
  @CommandHeaders()
  @CommandResponses('RosterCommitResult', { without: [404] })
  @ApiOperation({
    summary: '确认导入名册（管理员）：所有可导入的行在一个幂等键下一次写入，或全部不写；同一文件再导入不新增任何记录',
    operationId: 'commitRosterImport',
  })
  async commit(@CommandCtx() ctx: CommandContext, @Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse) {
    const file = await readUpload(req, res);
    requireDirectoryRole(ctx.actor, ['admin'], '导入名册');
    return this.roster.commit(file.buffer, file.fileName, ctx);
  }
}
