import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../shared/command-dto';
import { Text } from '../shared/dto-fields';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class RefuseExtensionDto extends CommandDto {
  @Text('不予延期理由', 2000)
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class RefuseExtensionController {
  constructor(private readonly commands: CommandBus) {}

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
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'RefuseExtension', data, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
