import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class ReportProgressDto extends CommandDto {
  @ApiProperty({ description: '进度说明', maxLength: 4000 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(4000, { message: '不能超过 4000 个字符' })
  summary!: string;
  @ApiPropertyOptional({ description: '完成百分比', minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt({ message: '必须是整数' })
  @Min(0, { message: '不能小于 0' })
  @Max(100, { message: '不能大于 100' })
  percent?: number;
  @ApiPropertyOptional({ description: '佐证材料引用（文件编号或链接）', type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray({ message: '必须是数组' })
  @ArrayMaxSize(50, { message: '最多 50 项' })
  @IsString({ each: true, message: '每一项必须是文本' })
  @MaxLength(500, { each: true, message: '每一项不能超过 500 个字符' })
  evidence?: string[];
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class ReportProgressController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/progress')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '上报整改进度（每个工作日）', operationId: 'reportProgress' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: ReportProgressDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'ReportProgress', { summary: dto.summary, percent: dto.percent, evidence: dto.evidence ?? [] }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
