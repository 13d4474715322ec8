import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class AmendFindingDto extends CommandDto {
  @ApiPropertyOptional({ description: '问题描述', maxLength: 4000 })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(4000, { message: '不能超过 4000 个字符' })
  description?: string;
  @ApiPropertyOptional({ description: '检查清单条目编号，如 2.3' })
  @IsOptional()
  @Matches(/^[1-9]\.[1-9][0-9]?$/, { message: '清单条目编号格式应为 2.3' })
  categoryCode?: string;
  @ApiPropertyOptional({ enum: ['red', 'yellow', 'blue'] })
  @IsOptional()
  @IsIn(['red', 'yellow', 'blue'], { message: '必须是 red、yellow、blue 之一' })
  severity?: 'red' | 'yellow' | 'blue';
  @ApiProperty({ description: '更正理由', maxLength: 1000 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(1000, { message: '不能超过 1000 个字符' })
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class AmendFindingController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/amend')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '更正问题（督查办签字，原记录保留）', operationId: 'amendFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: AmendFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'AmendFinding', { description: dto.description, categoryCode: dto.categoryCode, severity: dto.severity, reason: dto.reason }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
