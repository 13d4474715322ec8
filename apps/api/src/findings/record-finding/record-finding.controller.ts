import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { v5 as uuidv5 } from 'uuid';
import { SOURCES } from '@duban/domain';
import { ExecuteFindingCommand, FindingCommandResult } from '../shared/finding-command';
import { CommandCtx, CommandContext, CommandHeaders } from '../shared/request-context';

const SOURCE_CODES = SOURCES.map((s) => s.code);
/** The finding id derives from the signer and the idempotency key, so a retried recording names the same finding. */
const FINDING_ID_NAMESPACE = 'a3d9e1f0-52b4-4f7e-8c2a-91d7b6e4c3a8';

export class RecordFindingDto {
  @ApiProperty({ description: '专项行动编号', example: 'campaign-2026-q4' })
  @IsString({ message: '必须是文本' })
  @Matches(/^[a-z0-9-]{2,64}$/, { message: '专项行动编号格式不正确' })
  campaignId!: string;

  @ApiProperty({ description: '问题来源', enum: SOURCE_CODES })
  @IsIn(SOURCE_CODES, { message: `必须是 ${SOURCE_CODES.join('、')} 之一` })
  source!: string;

  @ApiProperty({ description: '检查清单条目编号（附件清单三）', example: '2.3' })
  @IsString({ message: '必须是文本' })
  @Matches(/^[1-9]\.[1-9][0-9]?$/, { message: '清单条目编号格式应为 2.3' })
  categoryCode!: string;

  @ApiProperty({ description: '严重程度（红黄蓝）', enum: ['red', 'yellow', 'blue'] })
  @IsIn(['red', 'yellow', 'blue'], { message: '必须是 red、yellow、blue 之一' })
  severity!: 'red' | 'yellow' | 'blue';

  @ApiProperty({ description: '所在乡镇（单位编号）', example: 'town-04' })
  @IsString({ message: '必须是文本' })
  @Matches(/^[a-z0-9-]{2,64}$/, { message: '单位编号格式不正确' })
  townUnitId!: string;

  @ApiPropertyOptional({ description: '行政村', maxLength: 100 })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @MaxLength(100, { message: '不能超过 100 个字符' })
  village?: string;

  @ApiPropertyOptional({ description: '农户（户主或户编号）', maxLength: 100 })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @MaxLength(100, { message: '不能超过 100 个字符' })
  household?: string;

  @ApiProperty({ description: '问题描述', maxLength: 4000 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(4000, { message: '不能超过 4000 个字符' })
  description!: string;

  @ApiPropertyOptional({ description: '佐证材料引用', type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray({ message: '必须是数组' })
  @ArrayMaxSize(50, { message: '最多 50 项' })
  @IsString({ each: true, message: '每一项必须是文本' })
  @MaxLength(500, { each: true, message: '每一项不能超过 500 个字符' })
  evidence?: string[];
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class RecordFindingController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @ApiOperation({ summary: '记录问题（督查组成员签字：谁排查谁签字谁负责）', operationId: 'recordFinding' })
  handle(@Body() dto: RecordFindingDto, @CommandCtx() ctx: CommandContext): Promise<FindingCommandResult> {
    const findingId = uuidv5(`${ctx.actor.userId}:${ctx.idempotencyKey}`, FINDING_ID_NAMESPACE);
    const data = {
      findingId,
      campaignId: dto.campaignId,
      source: dto.source,
      categoryCode: dto.categoryCode,
      severity: dto.severity,
      townUnitId: dto.townUnitId,
      village: dto.village,
      household: dto.household,
      description: dto.description,
      evidence: dto.evidence ?? [],
    };
    return this.commands.execute(
      new ExecuteFindingCommand(findingId, 'RecordFinding', data, ctx.actor, ctx.idempotencyKey, ctx.correlationId),
    );
  }
}
