import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class VerifyRectificationDto extends CommandDto {
  @ApiPropertyOptional({ description: '验收意见', maxLength: 2000 })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(2000, { message: '不能超过 2000 个字符' })
  note?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class VerifyRectificationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/verify')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '验收销号（督查办，非整改签字人）', operationId: 'verifyRectification' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: VerifyRectificationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'VerifyRectification', { note: dto.note }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
