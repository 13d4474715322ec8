import { applyDecorators, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CampaignPolicyOverrides } from '@duban/domain';
import { CampaignCommandResult, CampaignCommands } from '@duban/application';
import { LocalTimeField, NestedObject } from '../../http/dto-fields';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CampaignPhaseDto {
  @ApiProperty({ enum: ['inspection', 'rectification', 'improvement'] })
  @IsIn(['inspection', 'rectification', 'improvement'], { message: '必须是 inspection、rectification、improvement 之一' })
  code!: 'inspection' | 'rectification' | 'improvement';

  @ApiProperty({ example: '集中整改阶段' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(50, { message: '不能超过 50 个字符' })
  name!: string;

  @ApiProperty({ example: '2026-11-16' })
  @Matches(DATE, { message: '必须是 YYYY-MM-DD 日期' })
  startDate!: string;

  @ApiProperty({ example: '2026-12-15' })
  @Matches(DATE, { message: '必须是 YYYY-MM-DD 日期' })
  endDate!: string;
}

export class CalendarOverridesDto {
  @ApiPropertyOptional({ type: [String], description: '本专项行动额外的休息日' })
  @IsOptional()
  @IsArray({ message: '必须是数组' })
  @Matches(DATE, { each: true, message: '每一项必须是 YYYY-MM-DD 日期' })
  restDays?: string[];

  @ApiPropertyOptional({ type: [String], description: '本专项行动额外的工作日' })
  @IsOptional()
  @IsArray({ message: '必须是数组' })
  @Matches(DATE, { each: true, message: '每一项必须是 YYYY-MM-DD 日期' })
  workDays?: string[];
}

// The policy's shape, strictly: unknown keys are refused by the pipe (forbidNonWhitelisted reaches nested DTOs),
// types here; the ranges are the domain's (resolvePolicy), which refuses the same shapes on its own.
const Workdays = (description: string) =>
  applyDecorators(ApiPropertyOptional({ description, minimum: 1 }), IsOptional(), IsInt({ message: '必须是整数' }));
const Cutoff = (description: string) => LocalTimeField(description, true);
const Nested = <T>(type: () => new () => T, description: string) => NestedObject(type, description, true);

export class DeadlineWorkdaysDto {
  @Workdays('红色问题整改期限（工作日）') red?: number;
  @Workdays('黄色问题整改期限（工作日）') yellow?: number;
  @Workdays('蓝色问题整改期限（工作日）') blue?: number;
}

export class EscalationLadderDto {
  @Workdays('逾期通报后几个工作日约谈') interviewAfterWorkdays?: number;
  @Workdays('约谈后几个工作日问责') accountabilityAfterWorkdays?: number;
}

export class CampaignPolicyDto implements CampaignPolicyOverrides {
  @Workdays('登记后几个工作日内交办') dispatchWithinWorkdays?: number;
  @Workdays('交办后几个工作日内认领') claimWithinWorkdays?: number;
  @Nested(() => DeadlineWorkdaysDto, '按严重程度的整改期限') deadlineWorkdays?: DeadlineWorkdaysDto;
  @Cutoff('每日进展报送截止时间（工作日）') progressCutoff?: string;
  @Cutoff('日督查报告截止时间（工作日）') inspectionCutoff?: string;
  @Nested(() => EscalationLadderDto, '问责梯度') ladder?: EscalationLadderDto;
  @Workdays('整改完成后几个工作日内验收') verifyWithinWorkdays?: number;
  @Workdays('销号后几天回头看（自然日）') lookBackAfterDays?: number;
  @Workdays('单次延期最多几个工作日') maxExtensionWorkdays?: number;
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'campaign-2026-q4' })
  @Matches(/^[a-z0-9-]{2,64}$/, { message: '专项行动编号只能包含小写字母、数字和连字符' })
  campaignId!: string;

  @ApiProperty({ example: '巩固拓展脱贫攻坚成果问题排查整改提升专项行动' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(200, { message: '不能超过 200 个字符' })
  name!: string;

  @ApiProperty({ example: '郸巩督' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(20, { message: '不能超过 20 个字符' })
  noticePrefix!: string;

  @ApiProperty({ type: [CampaignPhaseDto] })
  @IsArray({ message: '必须是数组' })
  @ArrayMinSize(1, { message: '至少一个阶段' })
  @ArrayMaxSize(3, { message: '最多三个阶段' })
  @ValidateNested({ each: true })
  @Type(() => CampaignPhaseDto)
  phases!: CampaignPhaseDto[];

  @Nested(() => CampaignPolicyDto, '政策覆盖（期限、截止时间、问责梯度）；未给出的项取默认值')
  policy?: CampaignPolicyDto;

  @ApiPropertyOptional({ type: CalendarOverridesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CalendarOverridesDto)
  calendarOverrides?: CalendarOverridesDto;
}

/** The DTO instances as plain data: the domain takes plain objects only (a class instance could carry anything). */
function plainPolicy(p: CampaignPolicyDto): CampaignPolicyOverrides {
  const plain = (o: object): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const { deadlineWorkdays, ladder, ...rest } = p;
  return {
    ...plain(rest),
    ...(deadlineWorkdays ? { deadlineWorkdays: plain(deadlineWorkdays) } : {}),
    ...(ladder ? { ladder: plain(ladder) } : {}),
  } as CampaignPolicyOverrides;
}

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CreateCampaignController {
  constructor(private readonly campaigns: CampaignCommands) {}

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @CommandResponses('CampaignCommandResult', { status: 201 })
  @ApiOperation({ summary: '创建专项行动（管理员）：阶段、政策、工作日历', operationId: 'createCampaign' })
  handle(@Body() dto: CreateCampaignDto, @CommandCtx() ctx: CommandContext): Promise<CampaignCommandResult> {
    const data = {
      campaignId: dto.campaignId,
      name: dto.name,
      noticePrefix: dto.noticePrefix,
      phases: dto.phases.map((p) => ({ code: p.code, name: p.name, startDate: p.startDate, endDate: p.endDate })),
      policy: dto.policy ? plainPolicy(dto.policy) : undefined,
      calendarOverrides: { restDays: dto.calendarOverrides?.restDays ?? [], workDays: dto.calendarOverrides?.workDays ?? [] },
    };
    return this.campaigns.handle({ type: 'CreateCampaign', data }, ctx.actor, ctx);
  }
}
