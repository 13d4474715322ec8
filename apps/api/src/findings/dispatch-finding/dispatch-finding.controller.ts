import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text, WholeNumber, UnitId } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class DispatchFindingDto extends CommandDto {
  @UnitId('责任单位编号（乡镇或县直部门）')
  unitId!: string;
  @WholeNumber('整改期限（工作日）；缺省按严重程度', 1, 250, true)
  deadlineWorkdays?: number;
  @Text('交办要求', 2000, true)
  note?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class DispatchFindingController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/dispatch')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '交办问题：编号督办通知书、整改期限（工作日）', operationId: 'dispatchFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: DispatchFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { unitId: dto.unitId, deadlineWorkdays: dto.deadlineWorkdays, note: dto.note };
    return this.commands.handle({ type: 'DispatchFinding', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
