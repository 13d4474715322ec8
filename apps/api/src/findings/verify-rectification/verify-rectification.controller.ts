import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class VerifyRectificationDto extends CommandDto {
  @Text('验收意见', 2000, true)
  note?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class VerifyRectificationController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/verify')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '验收销号（督查办，非整改签字人）', operationId: 'verifyRectification' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: VerifyRectificationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { note: dto.note };
    return this.commands.handle({ type: 'VerifyRectification', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
