import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../shared/command-dto';
import { Text } from '../shared/dto-fields';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class GrantExtensionDto extends CommandDto {
  @Text('批准意见', 2000, true)
  reason?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class GrantExtensionController {
  constructor(private readonly commands: CommandBus) {}

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
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'GrantExtension', data, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
