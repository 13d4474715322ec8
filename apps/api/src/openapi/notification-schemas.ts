import { arrayOf, bool, dateTime, int, localDate, nullable, obj, oneOf, page, ref, str } from './schema-dsl';

const SWITCHES = ['due_tomorrow', 'report_today', 'rung_tomorrow', 'digest'];
const digestItem = obj({ findingId: str, noticeNo: nullable(str), dueDate: nullable(localDate), 'level?': oneOf(['notice', 'interview', 'accountability']) });
const sections = (item: ReturnType<typeof obj> | typeof int) => obj({ new: item, due: item, overdue: item, escalated: item });

// Response schemas of the in-app inbox and its read receipts, the daily digests, reminder settings and webhooks.

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
  ReminderSettings: obj({
    remindAt: str,
    morningAt: str,
    digestAt: str,
    quietHours: obj({ from: str, to: str }),
    enabled: arrayOf(oneOf(SWITCHES)),
  }),
  CampaignReminderSettings: obj(
    { campaignId: str, settings: ref('ReminderSettings'), isDefault: bool, changedBy: nullable(str), changedAt: nullable(dateTime) },
    'isDefault 为真：该专项行动未设置，使用默认值',
  ),
  ReminderSettingsResult: obj({ campaignId: str, version: int, events: arrayOf(str), settings: ref('ReminderSettings') }, 'events 为空：与现行设置相同，未记录'),
  Digest: obj({
    digestKey: str,
    campaignId: str,
    unitId: str,
    workday: localDate,
    digestAt: dateTime,
    since: dateTime,
    title: str,
    sections: sections(arrayOf(digestItem)),
    counts: sections(int),
    recipients: arrayOf(str),
    recordedAt: dateTime,
  }),
  DigestPage: page(ref('Digest')),
  WebhookSubscriptionView: obj(
    { subscriptionId: str, url: str, eventTypes: arrayOf(str), unitIds: arrayOf(str), createdBy: str, createdAt: dateTime, changedAt: dateTime },
    '不返回签名密钥',
  ),
  WebhookSubscriptionResult: obj({ subscriptionId: str, version: int, events: arrayOf(str) }, 'events 为空：未作改变（与现值相同，或已取消）'),
  WebhookSubscriptionList: arrayOf(ref('WebhookSubscriptionView')),
  WebhookDeadLetters: arrayOf(obj({ eventId: str, attempts: int, lastError: str })),
  WebhookRedelivery: obj({ eventId: str, delivered: bool }),
};
