import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text, WholeNumber } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class ReopenFindingDto extends CommandDto {
  @Text('重新打开理由', 2000)
  reason!: string;
  @WholeNumber('新的整改期限（工作日）', 1, 250, true)
  deadlineWorkdays?: number;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class ReopenFindingController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/reopen')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '回头看：重新打开已销号问题', operationId: 'reopenFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: ReopenFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { reason: dto.reason, deadlineWorkdays: dto.deadlineWorkdays };
    return this.commands.handle({ type: 'ReopenFinding', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
