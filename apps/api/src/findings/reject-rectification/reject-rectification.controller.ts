import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class RejectRectificationDto extends CommandDto {
  @ApiProperty({ description: '退回理由', maxLength: 2000 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(2000, { message: '不能超过 2000 个字符' })
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class RejectRectificationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/reject')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '验收不通过，退回整改', operationId: 'rejectRectification' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: RejectRectificationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'RejectRectification', { reason: dto.reason }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
