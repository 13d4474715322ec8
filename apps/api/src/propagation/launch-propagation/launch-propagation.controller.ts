import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InvalidInputError, type PropagationOrigin, type PropagationScope } from '@duban/domain';
import { PropagationCommandResult, PropagationCommands } from '@duban/application';
import { ChecklistCode, OneOf, Text, TextList, UnitId, WholeNumber } from '../../http/dto-fields';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';
import { IsOptional, IsUUID } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

const SCOPES: PropagationScope[] = ['all_towns', 'all_departments', 'chosen'];

export class LaunchPropagationDto {
  @UnitId('专项行动编号')
  campaignId!: string;

  @ApiPropertyOptional({ description: '源问题编号（与 originCategoryCode 二选一）', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: '必须是 UUID' })
  originFindingId?: string;

  @ChecklistCode(true)
  originCategoryCode?: string;

  @OneOf(SCOPES, '范围：全部乡镇、全部部门或指定单位')
  scope!: PropagationScope;

  @TextList('指定单位（scope 为 chosen 时必填）', { min: 1, max: 500, itemMax: 64, optional: true })
  unitIds?: string[];

  @Text('自查要求', 4000)
  instruction!: string;

  @WholeNumber('自查时限（工作日，按专项行动日历）', 1, 250)
  deadlineWorkdays!: number;
}

@ApiTags('propagation')
@ApiBearerAuth()
@Controller('propagations')
export class LaunchPropagationController {
  constructor(private readonly commands: PropagationCommands) {}

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @CommandResponses('PropagationCommandResult', { status: 201, without: [404] })
  @ApiOperation({ summary: '发起举一反三：要求各单位对照问题自查（督查办签字）', operationId: 'launchPropagation' })
  handle(@Body() dto: LaunchPropagationDto, @CommandCtx() ctx: CommandContext): Promise<PropagationCommandResult> {
    const origin = originOf(dto);
    if (dto.scope === 'chosen' && !dto.unitIds) throw new InvalidInputError('UNITS_REQUIRED', 'unitIds', '指定单位时须列出单位');
    if (dto.scope !== 'chosen' && dto.unitIds) throw new InvalidInputError('UNITS_NOT_ALLOWED', 'unitIds', '全部乡镇或全部部门时不列单位');
    const propagationId = PropagationCommands.propagationIdFor(ctx.actor, ctx.idempotencyKey);
    const data = {
      propagationId,
      campaignId: dto.campaignId,
      origin,
      scope: dto.scope,
      unitIds: dto.unitIds,
      instruction: dto.instruction,
      deadlineWorkdays: dto.deadlineWorkdays,
    };
    return this.commands.handle({ type: 'LaunchPropagation', data }, ctx.actor, ctx);
  }
}

function originOf(dto: LaunchPropagationDto): PropagationOrigin {
  if (dto.originFindingId && !dto.originCategoryCode) return { kind: 'finding', findingId: dto.originFindingId.toLowerCase() };
  if (dto.originCategoryCode && !dto.originFindingId) return { kind: 'checklist_item', categoryCode: dto.originCategoryCode };
  throw new InvalidInputError('ORIGIN_REQUIRED', 'originFindingId', '须且只能给出源问题（originFindingId）或检查清单条目（originCategoryCode）之一');
}
