import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { OneOf, Text } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

/** The rungs that are proposals until a supervisor signs: 通报 (notice) goes out at once and needs no signature. */
const ACKNOWLEDGEABLE_LEVELS = ['interview', 'accountability'] as const;

export class AcknowledgeEscalationDto extends CommandDto {
  @OneOf(ACKNOWLEDGEABLE_LEVELS, '确认的升级层级：interview（约谈）或 accountability（问责）')
  level!: (typeof ACKNOWLEDGEABLE_LEVELS)[number];
  @Text('处理意见', 2000, true)
  note?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class AcknowledgeEscalationController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/escalations/acknowledge')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({
    summary: '确认约谈/问责（督查办签字）：逾期升级提出的约谈或问责建议，由督查办签字后执行',
    operationId: 'acknowledgeEscalation',
  })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: AcknowledgeEscalationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { level: dto.level, note: dto.note };
    return this.commands.handle({ type: 'AcknowledgeEscalation', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
