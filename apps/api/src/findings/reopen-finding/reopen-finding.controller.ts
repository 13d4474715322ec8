import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class ReopenFindingDto extends CommandDto {
  @ApiProperty({ description: '重新打开理由', maxLength: 2000 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(2000, { message: '不能超过 2000 个字符' })
  reason!: string;
  @ApiPropertyOptional({ description: '新的整改期限（工作日）', minimum: 1, maximum: 250 })
  @IsOptional()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少 1 个工作日' })
  @Max(250, { message: '不能超过 250' })
  deadlineWorkdays?: number;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class ReopenFindingController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/reopen')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '回头看：重新打开已销号问题', operationId: 'reopenFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: ReopenFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'ReopenFinding', { reason: dto.reason, deadlineWorkdays: dto.deadlineWorkdays }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
