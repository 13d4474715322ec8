import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class ReassignFindingDto extends CommandDto {
  @ApiProperty({ description: '改派至的单位编号' })
  @IsString({ message: '必须是文本' })
  @Matches(/^[a-z0-9-]{2,64}$/, { message: '单位编号格式不正确' })
  toUnitId!: string;
  @ApiProperty({ description: '改派理由', maxLength: 2000 })
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
export class ReassignFindingController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/reassign')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '改派至其他单位（新单位须重新认领）', operationId: 'reassignFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: ReassignFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'ReassignFinding', { toUnitId: dto.toUnitId, reason: dto.reason, deadlineWorkdays: dto.deadlineWorkdays }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
