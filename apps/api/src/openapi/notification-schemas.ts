import { arrayOf, bool, dateTime, int, nullable, obj, page, ref, str } from './schema-dsl';

// Response schemas of the in-app inbox and its read receipts.

export const NOTIFICATION_SCHEMAS = {
  InboxNotice: obj({
    noticeId: str,
    userId: str,
    about: str,
    kind: str,
    title: str,
    findingId: nullable(str),
    unitId: nullable(str),
    createdAt: dateTime,
    readAt: nullable(dateTime),
  }),
  InboxPage: page(ref('InboxNotice'), { unread: int }),
  NoticeReceiptResult: obj({ noticeId: str, recorded: bool, version: int }, 'recorded 为假：此前已签收，首次签收即回执'),
  WebhookSubscriptionView: obj({ subscriptionId: str, url: str, eventTypes: arrayOf(str), unitIds: arrayOf(str) }, '不返回签名密钥'),
  WebhookSubscriptionList: arrayOf(ref('WebhookSubscriptionView')),
  WebhookDeadLetters: arrayOf(obj({ eventId: str, attempts: int, lastError: str })),
  WebhookRedelivery: obj({ eventId: str, delivered: bool }),
};
