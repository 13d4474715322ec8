import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text, EvidenceList, WholeNumber } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class ReportProgressDto extends CommandDto {
  @Text('进度说明', 4000)
  summary!: string;
  @WholeNumber('完成百分比', 0, 100, true)
  percent?: number;
  @EvidenceList()
  evidence?: string[];
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class ReportProgressController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/progress')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '上报整改进度（每个工作日）', operationId: 'reportProgress' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: ReportProgressDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { summary: dto.summary, percent: dto.percent, evidence: dto.evidence ?? [] };
    return this.commands.handle({ type: 'ReportProgress', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
