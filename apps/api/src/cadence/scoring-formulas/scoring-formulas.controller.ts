import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CURRENT_SCORING_FORMULA, NotFoundError, ScoringFormula, SCORING_FORMULAS } from '@duban/domain';
import { QueryResponses } from '../../openapi/api-responses';

export interface ScoringFormulasView {
  /** The version new monthly reviews are scored by. */
  current: string;
  formulas: ScoringFormula[];
}

/**
 * 月考评公式: published and versioned in the domain (reference data, like the checklist). A published review names
 * the version it used, so these are what a reader checks a past score against.
 */
@ApiTags('cadence')
@ApiBearerAuth()
@Controller('scoring-formulas')
export class ScoringFormulasController {
  @Get()
  @QueryResponses('ScoringFormulas', { without: [400, 404, 503] })
  @ApiOperation({ summary: '考评公式：已发布的各版本及当前版本', operationId: 'listScoringFormulas' })
  list(): ScoringFormulasView {
    return { current: CURRENT_SCORING_FORMULA, formulas: Object.values(SCORING_FORMULAS) };
  }

  @Get(':version')
  @QueryResponses('ScoringFormula', { without: [503] })
  @ApiOperation({ summary: '某一版本的考评公式：权重、扣分项、表扬名次与说明', operationId: 'getScoringFormula' })
  get(@Param('version') version: string): ScoringFormula {
    const formula = Object.prototype.hasOwnProperty.call(SCORING_FORMULAS, version) ? SCORING_FORMULAS[version] : undefined;
    if (!formula) throw new NotFoundError('UNKNOWN_SCORING_FORMULA', `考评公式版本 ${version} 不存在`);
    return formula;
  }
}
