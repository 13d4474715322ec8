import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class DispatchFindingDto extends CommandDto {
  @ApiProperty({ description: '责任单位编号（乡镇或县直部门）' })
  @IsString({ message: '必须是文本' })
  @Matches(/^[a-z0-9-]{2,64}$/, { message: '单位编号格式不正确' })
  unitId!: string;
  @ApiPropertyOptional({ description: '整改期限（工作日）；缺省按严重程度', minimum: 1, maximum: 250 })
  @IsOptional()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少 1 个工作日' })
  @Max(250, { message: '不能超过 250' })
  deadlineWorkdays?: number;
  @ApiPropertyOptional({ description: '交办要求', maxLength: 2000 })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(2000, { message: '不能超过 2000 个字符' })
  note?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class DispatchFindingController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/dispatch')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '交办问题：编号督办通知书、整改期限（工作日）', operationId: 'dispatchFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: DispatchFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'DispatchFinding', { unitId: dto.unitId, deadlineWorkdays: dto.deadlineWorkdays, note: dto.note }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
