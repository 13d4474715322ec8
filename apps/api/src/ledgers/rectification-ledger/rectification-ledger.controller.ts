import { Controller, Get, Inject, Param } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@duban/domain';
import { FindingLedgerQuery, RectificationLedgerEntry, RectificationLedgerQuery } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { CLOCK, Clock } from '../../database/database.module';
import { FindingIdPipe } from '../../http/request-context';
import { notFound, scopeOf, unitScopeDenied } from '../shared/scope';
import { QueryResponses } from '../../openapi/api-responses';

export class GetRectificationLedger {
  constructor(readonly findingId: string, readonly actor: Actor) {}
}

@QueryHandler(GetRectificationLedger)
export class GetRectificationLedgerHandler implements IQueryHandler<GetRectificationLedger, RectificationLedgerEntry> {
  constructor(
    private readonly ledger: RectificationLedgerQuery,
    private readonly findings: FindingLedgerQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ findingId, actor }: GetRectificationLedger) {
    const entry = await this.ledger.get(findingId, scopeOf(actor));
    if (entry) return entry;
    if (actor.role === 'unit_official' && (await this.findings.get(findingId, this.clock.now()))) throw unitScopeDenied();
    return notFound('整改台账');
  }
}

@ApiTags('ledgers')
@ApiBearerAuth()
@Controller('findings')
export class RectificationLedgerController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':findingId/rectification')
  @QueryResponses('RectificationLedgerEntry')
  @ApiOperation({ summary: '整改台账（一题一策一台账）：方案、措施、进度、佐证', operationId: 'getRectificationLedger' })
  get(@Param('findingId', FindingIdPipe) findingId: string, @CurrentActor() actor: Actor): Promise<RectificationLedgerEntry> {
    return this.queries.execute(new GetRectificationLedger(findingId, actor));
  }
}
