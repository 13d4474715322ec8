import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDto } from '../../http/command-dto';
import { Text, EvidenceList } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders, FindingIdPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class SubmitRectificationDto extends CommandDto {
  @Text('整改情况', 8000)
  summary!: string;
  @EvidenceList()
  evidence?: string[];
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class SubmitRectificationController {
  constructor(private readonly commands: FindingCommands) {}

  @Post(':findingId/rectification')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult')
  @ApiOperation({ summary: '整改完成签字（整改责任人）', operationId: 'submitRectification' })
  handle(
    @Param('findingId', FindingIdPipe) findingId: string,
    @Body() dto: SubmitRectificationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FindingCommandResult> {
    const data = { summary: dto.summary, evidence: dto.evidence ?? [] };
    return this.commands.handle({ type: 'SubmitRectification', findingId, data, expectedVersion: dto.expectedVersion }, ctx.actor, ctx);
  }
}
