import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PropagationCommandResult, PropagationCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, UnitIdPipe, UuidPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class ClaimSelfCheckDto {}

@ApiTags('propagation')
@ApiBearerAuth()
@Controller('propagations')
export class ClaimSelfCheckController {
  constructor(private readonly commands: PropagationCommands) {}

  @Post(':propagationId/units/:unitId/claim')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('PropagationCommandResult')
  @ApiOperation({ summary: '认领自查任务：签字人成为本单位自查责任人', operationId: 'claimSelfCheck' })
  handle(
    @Param('propagationId', new UuidPipe('propagationId')) propagationId: string,
    @Param('unitId', UnitIdPipe) unitId: string,
    @Body() _dto: ClaimSelfCheckDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<PropagationCommandResult> {
    return this.commands.handle({ type: 'ClaimSelfCheck', propagationId, unitId, data: {} }, ctx.actor, ctx);
  }
}
