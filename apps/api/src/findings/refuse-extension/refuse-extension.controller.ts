import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class RefuseExtensionDto extends CommandDto {
  @Text('不予延期理由', 2000)
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class RefuseExtensionController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/extension-requests/refuse')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '不予延期（督查办）', operationId: 'refuseExtension' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: RefuseExtensionDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { reason: dto.reason };
    return this.commands.handle({ type: 'RefuseExtension', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
