import {
  type Actor,
  decideReceipt,
  evolveReceipts,
  initialReceiptsState,
  type NoticeRead,
  type NoticeReceiptsState,
  noticeReceiptsStreamId,
  type RecordNoticeRead,
} from '@duban/domain';
import { type CommandRunner, type EventStore, loadAggregate, StreamVersionConflict } from '@duban/event-store';
import type { CommandMeta } from './commands';
import { commandRequest } from './commands';

export type NoticeReceiptRequest = { type: 'RecordNoticeRead'; data: RecordNoticeRead['data'] };

export interface NoticeReceiptResult {
  noticeId: string;
  /** False when the notice had been opened before: the first opening is the receipt. */
  recorded: boolean;
  version: number;
}

/**
 * 已阅回执 on the reader's own stream (notice-receipts-{userId}). Two devices opening notices at once race on the
 * stream: the loser is decided again on the fresh stream, where its notice may already be read.
 */
export class NoticeReceiptCommands {
  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
  ) {}

  handle(command: NoticeReceiptRequest, signer: Actor, meta: CommandMeta): Promise<NoticeReceiptResult> {
    const streamId = noticeReceiptsStreamId(command.data.recipientUserId);
    const request = commandRequest(command.type, signer, meta, command.data);
    return this.runner.run<NoticeReceiptResult>(
      request,
      async ({ now, toNewEvents }) => {
        const { state, version } = await loadAggregate<NoticeReceiptsState, NoticeRead>(this.store, streamId, evolveReceipts, initialReceiptsState());
        const events = decideReceipt({ type: command.type, data: command.data, metadata: { now, actor: signer } }, state);
        return {
          appends: events.length ? [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }] : [],
          result: (s) => ({ noticeId: command.data.noticeId, recorded: events.length > 0, version: s[0]?.toVersion ?? version }),
        };
      },
      (err) => err instanceof StreamVersionConflict,
    );
  }
}
