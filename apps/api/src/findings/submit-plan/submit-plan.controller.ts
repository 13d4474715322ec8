import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text, TextList, LocalDateField } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class SubmitRectificationPlanDto extends CommandDto {
  @Text('整改方案', 8000)
  plan!: string;
  @TextList('整改措施', { min: 1, max: 30, itemMax: 1000 })
  measures!: string[];
  @LocalDateField('计划完成日期', true)
  plannedCompletionDate?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class SubmitRectificationPlanController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/plan')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '提交整改方案（一题一策）', operationId: 'submitRectificationPlan' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: SubmitRectificationPlanDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { plan: dto.plan, measures: dto.measures, plannedCompletionDate: dto.plannedCompletionDate };
    return this.commands.handle({ type: 'SubmitRectificationPlan', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
