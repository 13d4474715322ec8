import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { InvalidInputError, SEVERITIES, type Severity } from '@duban/domain';
import { type FoundProblem, PropagationCommandResult, PropagationCommands } from '@duban/application';
import { ChecklistCode, EvidenceList, OneOf, Text, UnitId } from '../../http/dto-fields';
import { CommandCtx, CommandContext, CommandHeaders, UnitIdPipe, UuidPipe } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class FoundProblemDto {
  @ChecklistCode()
  categoryCode!: string;

  @OneOf(SEVERITIES, '严重程度（红黄蓝）')
  severity!: Severity;

  @UnitId('所在乡镇（乡镇自查时默认本乡镇；部门自查须填写）', true)
  townUnitId?: string;

  @Text('行政村', 100, true)
  village?: string;

  @Text('农户（户主或户编号）', 100, true)
  household?: string;

  @Text('问题描述', 4000)
  description!: string;

  @EvidenceList()
  evidence?: string[];
}

export class AttestSelfCheckDto {
  @OneOf(['none_found', 'found'], '自查结论：未发现（none_found）或发现问题（found）')
  outcome!: 'none_found' | 'found';

  @Text('自查了什么（范围、方法、户数）', 4000)
  checked!: string;

  @EvidenceList()
  evidence?: string[];

  @ApiPropertyOptional({ type: [FoundProblemDto], description: '发现的问题（outcome 为 found 时必填）：各记为新问题，关联源问题，即交本单位整改', maxItems: 200 })
  @IsOptional()
  @IsArray({ message: '必须是数组' })
  @ArrayMinSize(1, { message: '至少 1 项' })
  @ArrayMaxSize(200, { message: '最多 200 项' })
  @ValidateNested({ each: true })
  @Type(() => FoundProblemDto)
  problems?: FoundProblemDto[];
}

@ApiTags('propagation')
@ApiBearerAuth()
@Controller('propagations')
export class AttestSelfCheckController {
  constructor(private readonly commands: PropagationCommands) {}

  @Post(':propagationId/units/:unitId/attest')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('PropagationCommandResult')
  @ApiOperation({ summary: '自查签字：未发现，或发现 n 个问题（各记为新问题并即交本单位）', operationId: 'attestSelfCheck' })
  handle(
    @Param('propagationId', new UuidPipe('propagationId')) propagationId: string,
    @Param('unitId', UnitIdPipe) unitId: string,
    @Body() dto: AttestSelfCheckDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<PropagationCommandResult> {
    const evidence = dto.evidence ?? [];
    if (dto.outcome === 'found') {
      if (!dto.problems) throw new InvalidInputError('LIST_TOO_SHORT', 'problems', '自查发现问题时至少列出一个问题');
      const problems: FoundProblem[] = dto.problems.map((p) => ({ ...p }));
      return this.commands.handle({ type: 'AttestSelfCheck', propagationId, unitId, data: { outcome: 'found', checked: dto.checked, evidence, problems } }, ctx.actor, ctx);
    }
    if (dto.problems) throw new InvalidInputError('PROBLEMS_NOT_ALLOWED', 'problems', '未发现问题时不列问题');
    return this.commands.handle({ type: 'AttestSelfCheck', propagationId, unitId, data: { outcome: 'none_found', checked: dto.checked, evidence } }, ctx.actor, ctx);
  }
}
