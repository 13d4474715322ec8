import { Controller, Get, Inject, Logger, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { Actor, FINDING_STATUS_LABELS, InvalidInputError, SEVERITY_LABELS } from '@duban/domain';
import {
  ACCOUNTABILITY_KIND_LABELS,
  AccountabilityLedgerExport,
  ClaimListExport,
  FindingLedgerExport,
  PropagationLedgerExport,
  RectificationLedgerExport,
} from '@duban/read-models';
import { CurrentActor } from '../auth/auth';
import { CLOCK, Clock, PG_POOL } from '../database/database.module';
import { AccountabilityFiltersDto } from '../ledgers/accountability/accountability.controller';
import { ClaimListFiltersDto } from '../ledgers/claim-list/claim-list.controller';
import { FindingLedgerFiltersDto } from '../ledgers/finding-ledger/finding-ledger.controller';
import { notFound, scopeOf, unitScopeDenied } from '../ledgers/shared/scope';
import {
  accountabilityLedgerPlan,
  claimListPlan,
  ExportPlan,
  FilterNote,
  findingLedgerPlan,
  propagationLedgerPlan,
  rectificationLedgerPlan,
  streamLedgerExport,
} from './ledger-export';
import { sendXlsx, XLSX_CONTENT_TYPE } from './xlsx-stream';
import { CLAIM_STATUS_LABELS } from '@duban/read-models';
import { DocumentResponses } from '../openapi/api-responses';
import { PropagationFiltersDto } from '../propagation/propagation-queries/propagation-queries.controller';

// The export takes the on-screen ledger's filters, without paging: the file is the whole filtered ledger.
export class FindingLedgerExportDto extends OmitType(FindingLedgerFiltersDto, ['page', 'pageSize'] as const) {}
export class ClaimListExportDto extends OmitType(ClaimListFiltersDto, ['page', 'pageSize'] as const) {}
export class AccountabilityExportDto extends OmitType(AccountabilityFiltersDto, ['page', 'pageSize'] as const) {}

const UNIT_ID = /^[a-z0-9-]{2,64}$/;
const ESCALATION_LEVEL_NAMES: Record<string, string> = { notice: '通报', interview: '约谈', accountability: '问责' };

function describe(values: Record<string, unknown>, labels: Record<string, [string, ((v: string) => string)?]>): FilterNote[] {
  return Object.entries(labels)
    .filter(([field]) => values[field] !== undefined && values[field] !== null && values[field] !== '')
    .map(([field, [label, show]]) => {
      const raw = String(values[field]);
      return { field, label, value: show ? show(raw) : raw };
    });
}

const withName = (names: Record<string, string>) => (v: string) => (names[v] ? `${v}（${names[v]}）` : v);

const FINDING_FILTER_LABELS: Record<string, [string, ((v: string) => string)?]> = {
  campaignId: ['专项行动编号'],
  unitId: ['当前责任单位'],
  state: ['问题状态', withName(FINDING_STATUS_LABELS)],
  categoryCode: ['问题类别'],
  severity: ['严重程度', withName(SEVERITY_LABELS)],
  overdue: ['是否超期', (v) => (v === 'true' ? 'true（已超期未销号）' : 'false（未超期或已办结）')],
};

@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  private readonly logger = new Logger('Exports');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('finding-ledger.xlsx')
  @DocumentResponses(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: '导出问题台账（Excel，流式；筛选与范围同屏幕台账，末页“导出说明”含检查点与哈希摘要）', operationId: 'exportFindingLedger' })
  async findingLedger(@Query() q: FindingLedgerExportDto, @CurrentActor() actor: Actor, @Res() res: ServerResponse): Promise<void> {
    const now = this.clock.now();
    const scope = scopeOf(actor);
    const base = { actor, now, scope, filters: describe({ ...q }, FINDING_FILTER_LABELS) };
    await this.send(res, findingLedgerPlan(base, new FindingLedgerExport(q, scope, now)));
  }

  @Get('rectification-ledger.xlsx')
  @DocumentResponses(XLSX_CONTENT_TYPE)
  @ApiOperation({
    summary: '导出整改台账（一题一策一台账：每题一行含方案、措施、佐证；第二页为逐日整改进展），筛选同问题台账',
    operationId: 'exportRectificationLedger',
  })
  async rectificationLedger(@Query() q: FindingLedgerExportDto, @CurrentActor() actor: Actor, @Res() res: ServerResponse): Promise<void> {
    const now = this.clock.now();
    const scope = scopeOf(actor);
    const base = { actor, now, scope, filters: describe({ ...q }, FINDING_FILTER_LABELS) };
    await this.send(res, rectificationLedgerPlan(base, new RectificationLedgerExport(q, scope, now)));
  }

  @Get('units/:unitId/claim-list.xlsx')
  @DocumentResponses(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: '导出本单位问题认领清单（Excel）', operationId: 'exportClaimList' })
  async claimList(
    @Param('unitId') unitId: string,
    @Query() q: ClaimListExportDto,
    @CurrentActor() actor: Actor,
    @Res() res: ServerResponse,
  ): Promise<void> {
    if (!UNIT_ID.test(unitId)) {
      throw new InvalidInputError('VALIDATION_FAILED', 'unitId', '单位编号只能包含小写字母、数字和连字符');
    }
    if (actor.role === 'unit_official' && actor.unitId !== unitId) throw unitScopeDenied();
    const now = this.clock.now();
    const filters = describe({ ...q }, { campaignId: ['专项行动编号'], status: ['认领状态', withName(CLAIM_STATUS_LABELS)] });
    const source = new ClaimListExport(unitId, q);
    await this.send(res, claimListPlan({ actor, now, scope: { unitId }, filters }, source, unitId, () => notFound('单位')));
  }

  @Get('accountability-ledger.xlsx')
  @DocumentResponses(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: '导出问责台账（Excel），筛选与范围同屏幕问责台账', operationId: 'exportAccountabilityLedger' })
  async accountabilityLedger(@Query() q: AccountabilityExportDto, @CurrentActor() actor: Actor, @Res() res: ServerResponse): Promise<void> {
    if (q.from && q.to && q.from > q.to) {
      throw new InvalidInputError('INVALID_DATE_RANGE', 'to', `截止日期 ${q.to} 早于起始日期 ${q.from}`);
    }
    const now = this.clock.now();
    const scope = scopeOf(actor);
    const filters = describe(
      { ...q },
      {
        campaignId: ['专项行动编号'],
        unitId: ['责任单位'],
        userId: ['责任人用户编号'],
        findingId: ['问题编号'],
        kind: ['后果类别', withName(ACCOUNTABILITY_KIND_LABELS)],
        level: ['升级层级', withName(ESCALATION_LEVEL_NAMES)],
        from: ['起始日期（含，北京时间）'],
        to: ['截止日期（含，北京时间）'],
      },
    );
    const source = new AccountabilityLedgerExport({ ...q, findingId: q.findingId?.toLowerCase(), propagationId: q.propagationId?.toLowerCase() }, scope);
    await this.send(res, accountabilityLedgerPlan({ actor, now, scope, filters }, source));
  }

  @Get('propagation-ledger.xlsx')
  @DocumentResponses(XLSX_CONTENT_TYPE, { without: [404] })
  @ApiOperation({ summary: '导出举一反三台账（Excel）：每个自查单位一行，含认领人、期限、结论、发现问题；乡镇/部门只导出本单位', operationId: 'exportPropagationLedger' })
  async propagationLedger(@Query() q: PropagationFiltersDto, @CurrentActor() actor: Actor, @Res() res: ServerResponse): Promise<void> {
    const now = this.clock.now();
    const scope = scopeOf(actor);
    const filters = describe({ ...q }, { campaignId: ['专项行动编号'], originFindingId: ['源问题编号'] });
    const source = new PropagationLedgerExport({ ...q, originFindingId: q.originFindingId?.toLowerCase() }, scope, now);
    await this.send(res, propagationLedgerPlan({ actor, now, scope, filters }, source));
  }

  /** Refusals (404 and the like) found before the first byte are ordinary JSON errors; see sendXlsx. */
  private async send(res: ServerResponse, plan: ExportPlan): Promise<void> {
    const result = await sendXlsx(res, this.logger, plan.title, (open) => streamLedgerExport(this.pool, plan, open));
    if (result) {
      this.logger.log(
        { export: plan.title, by: plan.actor.userId, sheets: result.sheets, checkpoint: result.checkpoints[0], digest: result.digest.sha256 },
        'ledger exported',
      );
    }
  }
}
