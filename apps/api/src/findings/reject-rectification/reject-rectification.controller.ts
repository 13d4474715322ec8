import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class RejectRectificationDto extends CommandDto {
  @Text('退回理由', 2000)
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class RejectRectificationController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/reject')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '验收不通过，退回整改', operationId: 'rejectRectification' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: RejectRectificationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { reason: dto.reason };
    return this.commands.handle({ type: 'RejectRectification', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
