import { ForbiddenError } from '../shared/errors';
import { validateMetadata } from '../shared/guards';
import type { Command, DomainEvent, Signed } from '../shared/messages';

/**
 * A person's read receipts (已阅回执) as a signed stream: "I was never told" is the first thing said in an interview
 * (约谈), so opening a notice is a fact on the audit trail, signed by the reader, naming the notice and what it was about.
 */
export const noticeReceiptsStreamId = (userId: string): string => `notice-receipts-${userId}`;

export type RecordNoticeRead = Command<
  'RecordNoticeRead',
  {
    noticeId: string;
    /** Whose inbox the notice is in: only that person can sign it read. */
    recipientUserId: string;
    findingId: string | null;
    /** The log event the notice was about (or the reminder's key): what was told. */
    about: string;
    kind: string;
    title: string;
  }
>;

export type NoticeRead = DomainEvent<
  'NoticeRead',
  { noticeId: string; findingId: string | null; about: string; kind: string; title: string } & Signed
>;

export type NoticeReceiptsState = { read: Readonly<Record<string, true>> };
export const initialReceiptsState = (): NoticeReceiptsState => ({ read: {} });

export const evolveReceipts = (s: NoticeReceiptsState, e: NoticeRead): NoticeReceiptsState => {
  switch (e.type) {
    case 'NoticeRead':
      return { read: { ...s.read, [e.data.noticeId]: true } };
    default: {
      const unreachable: never = e.type;
      return unreachable;
    }
  }
};

/** The first opening is the receipt; opening it again records nothing more (the first time is when they were told). */
export const decideReceipt = (c: RecordNoticeRead, s: NoticeReceiptsState): NoticeRead[] => {
  validateMetadata(c.metadata);
  const { actor, now } = c.metadata;
  if (actor.userId !== c.data.recipientUserId) {
    throw new ForbiddenError('NOT_YOUR_NOTICE', 'SIGNER_OWNS_IT', '只能签收本人收到的通知');
  }
  if (s.read[c.data.noticeId]) return [];
  const { noticeId, findingId, about, kind, title } = c.data;
  return [{ type: 'NoticeRead', data: { noticeId, findingId, about, kind, title, signedBy: actor, at: now } }];
};
