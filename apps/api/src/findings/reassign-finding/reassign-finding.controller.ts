import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text, WholeNumber, UnitId } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
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
  constructor(private readonly commands: FindingCommands) {}

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
    return this.commands.handle({ type: 'ReassignFinding', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
