import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text, WholeNumber } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class RequestExtensionDto extends CommandDto {
  @WholeNumber('延期工作日数', 1, 60)
  workdays!: number;
  @Text('延期理由', 2000)
  reason!: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class RequestExtensionController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/extension-requests')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '申请延期（整改责任人）', operationId: 'requestExtension' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: RequestExtensionDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { workdays: dto.workdays, reason: dto.reason };
    return this.commands.handle({ type: 'RequestExtension', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
