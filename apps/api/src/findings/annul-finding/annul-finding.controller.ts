import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class AnnulFindingDto extends CommandDto {
  @ApiProperty({ description: '作废理由', maxLength: 1000 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(1000, { message: '不能超过 1000 个字符' })
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class AnnulFindingController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/annul')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '作废问题（督查办签字）', operationId: 'annulFinding' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: AnnulFindingDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'AnnulFinding', { reason: dto.reason }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
