import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { v5 as uuidv5 } from 'uuid';
import { FindingSource, SEVERITIES, Severity, SOURCES } from '@duban/domain';
import { ChecklistCode, EvidenceList, OneOf, Text, UnitId } from '../../http/dto-fields';
import { FindingCommandResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

const SOURCE_CODES = SOURCES.map((s) => s.code);
/** The finding id derives from the signer and the idempotency key, so a retried recording names the same finding. */
const FINDING_ID_NAMESPACE = 'a3d9e1f0-52b4-4f7e-8c2a-91d7b6e4c3a8';

export class RecordFindingDto {
  @UnitId('专项行动编号')
  campaignId!: string;

  @OneOf(SOURCE_CODES, '问题来源')
  source!: string;

  @ChecklistCode()
  categoryCode!: string;

  @OneOf(SEVERITIES, '严重程度（红黄蓝）')
  severity!: Severity;

  @UnitId('所在乡镇（单位编号）')
  townUnitId!: string;

  @Text('行政村', 100, true)
  village?: string;

  @Text('农户（户主或户编号）', 100, true)
  household?: string;

  @Text('问题描述', 4000)
  description!: string;

  @EvidenceList()
  evidence?: string[];
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class RecordFindingController {
  constructor(private readonly commands: FindingCommands) {}

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @CommandResponses('FindingCommandResult', { status: 201 })
  @ApiOperation({ summary: '记录问题（督查组成员签字：谁排查谁签字谁负责）', operationId: 'recordFinding' })
  handle(@Body() dto: RecordFindingDto, @CommandCtx() ctx: CommandContext): Promise<FindingCommandResult> {
    const findingId = uuidv5(`${ctx.actor.userId}:${ctx.idempotencyKey}`, FINDING_ID_NAMESPACE);
    const data = {
      findingId,
      campaignId: dto.campaignId,
      source: dto.source as FindingSource,
      categoryCode: dto.categoryCode,
      severity: dto.severity,
      townUnitId: dto.townUnitId,
      village: dto.village,
      household: dto.household,
      description: dto.description,
      evidence: dto.evidence ?? [],
    };
    return this.commands.handle({ type: 'RecordFinding', findingId, data }, ctx.actor, ctx);
  }
}
