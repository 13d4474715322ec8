import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../shared/command-dto';
import { Text, WholeNumber, UnitId } from '../shared/dto-fields';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class ReassignFindingDto extends CommandDto {
  @UnitId('改派至的单位编号')
  toUnitId!: string;
  @Text('改派理由', 2000)
  reason!: string;
  @WholeNumber('新的整改期限（工作日）', 1, 250, true)
  deadlineWorkdays?: number;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class ReassignFindingController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/reassign')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '改派至其他单位（新单位须重新认领）', operationId: 'reassignFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: ReassignFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { toUnitId: dto.toUnitId, reason: dto.reason, deadlineWorkdays: dto.deadlineWorkdays };
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'ReassignFinding', data, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
