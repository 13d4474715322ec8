import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CommandDto } from '../shared/command-dto';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../shared/request-context';

export class GrantExtensionDto extends CommandDto {
  @ApiPropertyOptional({ description: '批准意见', maxLength: 2000 })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(2000, { message: '不能超过 2000 个字符' })
  reason?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class GrantExtensionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':findingId/extension-requests/grant')
  @HttpCode(200)
  @CommandHeaders()
  @ApiOperation({ summary: '批准延期（督查办）', operationId: 'grantExtension' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: GrantExtensionDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'GrantExtension', { reason: dto.reason }, ctx.actor, ctx.idempotencyKey, ctx.correlationId, dto.expectedVersion),
    );
  }
}
