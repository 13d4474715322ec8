import { BadRequestException, Controller, Get, Param, Res } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@duban/domain';
import { DispatchNotice, DispatchNoticeQuery } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { FindingIdPipe } from '../../http/request-context';
import { notFound, scopeOf, unitScopeDenied } from '../shared/scope';
import { renderDispatchNotice } from './notice-html';
import { DocumentResponses } from '../../openapi/api-responses';

/** The one thing the handler needs of the HTTP response (Express's, without its types as a dependency). */
interface Response {
  setHeader(name: string, value: string): unknown;
}

/** A notice number as the campaign issues it (郸巩督〔2026〕3号): printable text, no control characters. */
export class NoticeNoPipe {
  transform(value: unknown): string {
    // eslint-disable-next-line no-control-regex
    if (typeof value !== 'string' || value.length < 1 || value.length > 64 || /[\u0000-\u001f\u007f/\\]/.test(value)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        field: 'noticeNo',
        message: '字段 noticeNo 无效：应为督办通知书文号，如 郸巩督〔2026〕3号 (VALIDATION_FAILED)',
      });
    }
    return value;
  }
}

export class GetDispatchNotice {
  constructor(readonly noticeNo: string, readonly actor: Actor) {}
}

export class GetFindingDispatchNotice {
  constructor(readonly findingId: string, readonly actor: Actor) {}
}

/**
 * As every ledger: a unit official sees the notices (and the findings on them) addressed to their own unit; a
 * notice that exists but is addressed elsewhere is a 403 (UNIT_SCOPE), an unknown one a 404. Everyone else —
 * inspectors, supervisors, the discipline inspector, the administrator — reads every notice.
 */
@QueryHandler(GetDispatchNotice)
export class GetDispatchNoticeHandler implements IQueryHandler<GetDispatchNotice, DispatchNotice> {
  constructor(private readonly notices: DispatchNoticeQuery) {}

  async execute({ noticeNo, actor }: GetDispatchNotice): Promise<DispatchNotice> {
    const notice = await this.notices.get(noticeNo, scopeOf(actor));
    if (notice) return notice;
    if (actor.role === 'unit_official' && (await this.notices.get(noticeNo))) throw unitScopeDenied();
    return notFound('督办通知书');
  }
}

@QueryHandler(GetFindingDispatchNotice)
export class GetFindingDispatchNoticeHandler implements IQueryHandler<GetFindingDispatchNotice, DispatchNotice> {
  constructor(private readonly notices: DispatchNoticeQuery) {}

  async execute({ findingId, actor }: GetFindingDispatchNotice): Promise<DispatchNotice> {
    const current = await this.notices.currentOf(findingId);
    if (!current) return notFound('该问题的督办通知书');
    const scope = scopeOf(actor);
    if (scope.unitId && scope.unitId !== current.unitId) throw unitScopeDenied();
    const notice = await this.notices.get(current.noticeNo, scope);
    return notice ?? notFound('督办通知书');
  }
}

@ApiTags('ledgers')
@ApiBearerAuth()
@Controller()
export class DispatchNoticeController {
  constructor(private readonly queries: QueryBus) {}

  @Get('notices/:noticeNo')
  @DocumentResponses('text/html')
  @ApiOperation({
    summary: '督办通知书（可打印 HTML，A4）：文号、主送单位、问题清单、整改时限、签发人和日期；同一文号下的全部问题',
    operationId: 'getDispatchNotice',
  })
  async byNumber(
    @Param('noticeNo', NoticeNoPipe) noticeNo: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return asHtml(res, await this.queries.execute(new GetDispatchNotice(noticeNo, actor)));
  }

  @Get('findings/:findingId/notice')
  @DocumentResponses('text/html')
  @ApiOperation({ summary: '问题当前交办（或改派）的督办通知书（可打印 HTML，A4）', operationId: 'getFindingDispatchNotice' })
  async forFinding(
    @Param('findingId', FindingIdPipe) findingId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return asHtml(res, await this.queries.execute(new GetFindingDispatchNotice(findingId, actor)));
  }
}

/**
 * The HTML type is set only once the notice is found: a @Header decorator would label the JSON error body of a
 * 403/404 as HTML too.
 */
function asHtml(res: Response, notice: DispatchNotice): string {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  return renderDispatchNotice(notice);
}
