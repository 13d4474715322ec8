import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class AnnulFindingDto extends CommandDto {
  @Text('作废理由', 1000)
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class AnnulFindingController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/annul')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '作废问题（督查办签字）', operationId: 'annulFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: AnnulFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { reason: dto.reason };
    return this.commands.handle({ type: 'AnnulFinding', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
