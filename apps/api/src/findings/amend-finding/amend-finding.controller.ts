import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SEVERITIES, Severity } from '@duban/domain';
import { CommandDto } from '../../http/command-dto';
import { Text, OneOf, ChecklistCode } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class AmendFindingDto extends CommandDto {
  @Text('问题描述', 4000, true)
  description?: string;
  @ChecklistCode(true)
  categoryCode?: string;
  @OneOf(SEVERITIES, '严重程度（红黄蓝）', true)
  severity?: Severity;
  @Text('更正理由', 1000)
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class AmendFindingController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/amend')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '更正问题（督查办签字，原记录保留）', operationId: 'amendFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: AmendFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { description: dto.description, categoryCode: dto.categoryCode, severity: dto.severity, reason: dto.reason };
    return this.commands.handle({ type: 'AmendFinding', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
