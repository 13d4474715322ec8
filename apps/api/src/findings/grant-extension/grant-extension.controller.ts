import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class GrantExtensionDto extends CommandDto {
  @Text('批准意见', 2000, true)
  reason?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class GrantExtensionController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/extension-requests/grant')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '批准延期（督查办）', operationId: 'grantExtension' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: GrantExtensionDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { reason: dto.reason };
    return this.commands.handle({ type: 'GrantExtension', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
