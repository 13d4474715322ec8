import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class RequestExtensionDto extends CommandDto {
  @ApiProperty({ description: '延期工作日数', minimum: 1, maximum: 60 })
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少 1 个工作日' })
  @Max(60, { message: '不能超过 60' })
  workdays!: number;
  @ApiProperty({ description: '延期理由', maxLength: 2000 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(2000, { message: '不能超过 2000 个字符' })
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class RequestExtensionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/extension-requests')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '申请延期（整改责任人）', operationId: 'requestExtension' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: RequestExtensionDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'RequestExtension', { workdays: dto.workdays, reason: dto.reason }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
