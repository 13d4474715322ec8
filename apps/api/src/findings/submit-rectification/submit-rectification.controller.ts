import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class SubmitRectificationDto extends CommandDto {
  @ApiProperty({ description: '整改情况', maxLength: 8000 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(8000, { message: '不能超过 8000 个字符' })
  summary!: string;
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
export class SubmitRectificationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/rectification')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '整改完成签字（整改责任人）', operationId: 'submitRectification' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: SubmitRectificationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'SubmitRectification', { summary: dto.summary, evidence: dto.evidence ?? [] }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
