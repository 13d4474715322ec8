import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class SubmitRectificationPlanDto extends CommandDto {
  @ApiProperty({ description: '整改方案', maxLength: 8000 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(8000, { message: '不能超过 8000 个字符' })
  plan!: string;
  @ApiProperty({ description: '整改措施', type: [String], minItems: 1, maxItems: 30 })
  @IsArray({ message: '必须是数组' })
  @ArrayMinSize(1, { message: '至少一条措施' })
  @ArrayMaxSize(30, { message: '最多 30 条措施' })
  @IsString({ each: true, message: '每一项必须是文本' })
  @IsNotEmpty({ each: true, message: '措施不能为空' })
  @MaxLength(1000, { each: true, message: '每一项不能超过 1000 个字符' })
  measures!: string[];
  @ApiPropertyOptional({ description: '计划完成日期 YYYY-MM-DD' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: '必须是 YYYY-MM-DD 日期' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '必须是 YYYY-MM-DD 日期' })
  plannedCompletionDate?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class SubmitRectificationPlanController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/plan')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '提交整改方案（一题一策）', operationId: 'submitRectificationPlan' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: SubmitRectificationPlanDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'SubmitRectificationPlan', { plan: dto.plan, measures: dto.measures, plannedCompletionDate: dto.plannedCompletionDate }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
