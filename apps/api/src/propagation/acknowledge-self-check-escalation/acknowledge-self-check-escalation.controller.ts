import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PropagationCommandResult, PropagationCommands } from '@duban/application';
import { OneOf, Text } from '../../http/dto-fields';
import { CommandCtx, CommandContext, CommandHeaders, UnitIdPipe, UuidPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

/** As for a finding: 通报 goes out at once; an interview or a referral is a proposal until a supervisor signs it. */
const ACKNOWLEDGEABLE_LEVELS = ['interview', 'accountability'] as const;

export class AcknowledgeSelfCheckEscalationDto {
  @OneOf(ACKNOWLEDGEABLE_LEVELS, '确认的升级层级：interview（约谈）或 accountability（问责）')
  level!: (typeof ACKNOWLEDGEABLE_LEVELS)[number];
  @Text('处理意见', 2000, true)
  note?: string;
}

@ApiTags('propagation')
@ApiBearerAuth()
@Controller('propagations')
export class AcknowledgeSelfCheckEscalationController {
  constructor(private readonly commands: PropagationCommands) {}

  @Post(':propagationId/units/:unitId/escalations/acknowledge')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('PropagationCommandResult')
  @ApiOperation({
    summary: '确认举一反三自查逾期的约谈/问责（督查办签字）：自查任务逾期未签字升级提出的建议，由督查办签字后执行',
    operationId: 'acknowledgeSelfCheckEscalation',
  })
  handle(
    @Param('propagationId', new UuidPipe('propagationId')) propagationId: string,
    @Param('unitId', UnitIdPipe) unitId: string,
    @Body() dto: AcknowledgeSelfCheckEscalationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<PropagationCommandResult> {
    const data = { level: dto.level, note: dto.note };
    return this.commands.handle({ type: 'AcknowledgeSelfCheckEscalation', propagationId, unitId, data }, ctx.actor, ctx);
  }
}
