import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@duban/domain';
import { AuditEntry, AuditTrailQuery, FindingLedgerQuery, Page, PersonAuditEntry } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { CLOCK, Clock } from '../../database/database.module';
import { DirectoryRepository } from '../../directory/directory.repository';
import { FindingIdPipe } from '../../http/request-context';
import { PagingDto } from '../shared/paging.dto';
import { notFound, scopeOf, unitScopeDenied } from '../shared/scope';
import { QueryResponses } from '../../openapi/api-responses';

export class GetFindingAuditTrail {
  constructor(readonly findingId: string, readonly actor: Actor) {}
}

export class GetSignerAuditTrail {
  constructor(readonly userId: string, readonly paging: PagingDto, readonly actor: Actor) {}
}

@QueryHandler(GetFindingAuditTrail)
export class GetFindingAuditTrailHandler implements IQueryHandler<GetFindingAuditTrail, AuditEntry[]> {
  constructor(
    private readonly trail: AuditTrailQuery,
    private readonly findings: FindingLedgerQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ findingId, actor }: GetFindingAuditTrail) {
    const now = this.clock.now();
    if (!(await this.findings.get(findingId, now, scopeOf(actor)))) {
      if (actor.role === 'unit_official' && (await this.findings.get(findingId, now))) throw unitScopeDenied();
      return notFound('问题');
    }
    return this.trail.forFinding(findingId);
  }
}

@QueryHandler(GetSignerAuditTrail)
export class GetSignerAuditTrailHandler implements IQueryHandler<GetSignerAuditTrail, Page<PersonAuditEntry>> {
  constructor(
    private readonly trail: AuditTrailQuery,
    private readonly directory: DirectoryRepository,
  ) {}

  async execute({ userId, paging, actor }: GetSignerAuditTrail) {
    // Officials and inspectors may read their own record (what they signed and what is attributed to them);
    // supervisors, discipline inspectors and the administrator anyone's.
    if (!['supervisor', 'discipline_inspector', 'admin'].includes(actor.role) && actor.userId !== userId) {
      throw unitScopeDenied();
    }
    // An empty record would read as "signed nothing"; a person the directory does not know is not that.
    if (!(await this.directory.user(userId))) return notFound('签字人');
    return this.trail.forSigner(userId, paging);
  }
}

@ApiTags('ledgers')
@ApiBearerAuth()
@Controller()
export class AuditTrailController {
  constructor(private readonly queries: QueryBus) {}

  @Get('findings/:findingId/audit-trail')
  @QueryResponses('AuditTrail')
  @ApiOperation({ summary: '问题的完整审计轨迹：每个事件的签字人（姓名、单位、角色）、时间、理由、变更内容（变更前 → 变更后）、归责对象、哈希', operationId: 'getFindingAuditTrail' })
  forFinding(@Param('findingId', FindingIdPipe) findingId: string, @CurrentActor() actor: Actor): Promise<AuditEntry[]> {
    return this.queries.execute(new GetFindingAuditTrail(findingId, actor));
  }

  @Get('signers/:userId/audit-trail')
  @QueryResponses('PersonAuditPage')
  @ApiOperation({ summary: '某人的审计轨迹：本人签字的全部事件，以及记在本人名下的后果（未报进展、逾期、升级、回头看重新打开），逐条标明（谁签字谁负责）', operationId: 'getSignerAuditTrail' })
  forSigner(@Param('userId') userId: string, @Query() paging: PagingDto, @CurrentActor() actor: Actor): Promise<Page<PersonAuditEntry>> {
    return this.queries.execute(new GetSignerAuditTrail(userId, paging, actor));
  }
}
