import { BadRequestException, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@duban/domain';
import { NoticeReceiptCommands, NoticeReceiptResult } from '@duban/application';
import { INBOX_STATUSES, InboxPage, InboxQuery, InboxStatus } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { OneOf } from '../../http/dto-fields';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { PagingDto } from '../../ledgers/shared/paging.dto';
import { notFound } from '../../ledgers/shared/scope';
import { CommandResponses, QueryResponses } from '../../openapi/api-responses';

export class InboxFiltersDto extends PagingDto {
  @OneOf(INBOX_STATUSES, '未读 unread、已读 read 或全部 all（缺省 all）', true)
  status?: InboxStatus;
}

export class GetInbox {
  constructor(readonly actor: Actor, readonly filters: InboxFiltersDto) {}
}

@QueryHandler(GetInbox)
export class GetInboxHandler implements IQueryHandler<GetInbox, InboxPage> {
  constructor(private readonly inbox: InboxQuery) {}

  execute({ actor, filters }: GetInbox): Promise<InboxPage> {
    return this.inbox.list(actor.userId, filters.status ?? 'all', filters);
  }
}

const NOTICE_ID = /^[0-9a-f]{32}$/;

/** Notice ids are the notifier's 32 hex digits; anything else is a 400 naming the path parameter. */
export class NoticeIdPipe {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !NOTICE_ID.test(value)) {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', field: 'noticeId', message: '字段 noticeId 无效：必须是 32 位十六进制 (VALIDATION_FAILED)' });
    }
    return value;
  }
}

/**
 * 站内通知: each person's own inbox (nobody reads another's), and 已阅 — opening a notice signs a read receipt on the
 * reader's stream, so the audit trail shows when they were told. The read mark in the list follows the receipt once
 * the notifier has passed it (a moment later).
 */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly queries: QueryBus,
    private readonly inbox: InboxQuery,
    private readonly receipts: NoticeReceiptCommands,
  ) {}

  @Get()
  @QueryResponses('InboxPage', { without: [404] })
  @ApiOperation({ summary: '本人的站内通知（未读/已读，分页，最新在前；附未读数）', operationId: 'listInbox' })
  list(@Query() filters: InboxFiltersDto, @CurrentActor() actor: Actor): Promise<InboxPage> {
    return this.queries.execute(new GetInbox(actor, filters));
  }

  @Post(':noticeId/read')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('NoticeReceiptResult', { without: [413, 415] })
  @ApiOperation({ summary: '签收（已阅）一条本人的通知：记入审计轨迹的签名回执；再次签收不重复记录', operationId: 'readNotice' })
  async read(@Param('noticeId', NoticeIdPipe) noticeId: string, @CommandCtx() ctx: CommandContext): Promise<NoticeReceiptResult> {
    const notice = await this.inbox.get(noticeId);
    // Another person's notice is answered as absent: an inbox says nothing about anyone else's.
    if (!notice || notice.userId !== ctx.actor.userId) return notFound('通知');
    const data = { noticeId, recipientUserId: notice.userId, findingId: notice.findingId, about: notice.about, kind: notice.kind, title: notice.title };
    return this.receipts.handle({ type: 'RecordNoticeRead', data }, ctx.actor, ctx);
  }
}
