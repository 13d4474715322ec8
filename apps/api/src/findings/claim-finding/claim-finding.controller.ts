import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class ClaimFindingDto extends CommandDto {}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class ClaimFindingController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/claim')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '认领问题：签字人成为整改责任人', operationId: 'claimFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: ClaimFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = {};
    return this.commands.handle({ type: 'ClaimFinding', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
