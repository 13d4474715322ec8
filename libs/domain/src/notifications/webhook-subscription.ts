import { InvalidInputError, InvalidStateError, NotFoundError } from '../shared/errors';
import { requireRole, requireText, validateMetadata } from '../shared/guards';
import { toUtcIso } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';

/**
 * 外部系统订阅 (webhooks) as signed facts, one stream per subscription: who subscribed which system to what, when, and
 * every change after, on the audit trail. The HMAC secret is never in an event — the log is kept forever and read by
 * the discipline inspector — only `secretRef`, an opaque name of the secret held beside the log.
 */
export const webhookSubscriptionStreamId = (subscriptionId: string): string => `webhook-subscription-${subscriptionId}`;

export type WebhookTarget = {
  url: string;
  /** Names the secret its bodies are signed with; the secret itself is never in the log. */
  secretRef: string;
  eventTypes: string[];
  /** Empty: every unit. */
  unitIds: string[];
};

export type CreateWebhookSubscription = Command<'CreateWebhookSubscription', { subscriptionId: string } & WebhookTarget>;
/** Only what is given changes. */
export type ChangeWebhookSubscription = Command<'ChangeWebhookSubscription', Partial<WebhookTarget> & { reason: string }>;
export type DeleteWebhookSubscription = Command<'DeleteWebhookSubscription', { reason: string }>;
export type WebhookSubscriptionCommand = CreateWebhookSubscription | ChangeWebhookSubscription | DeleteWebhookSubscription;

export type WebhookSubscribed = DomainEvent<'WebhookSubscribed', { subscriptionId: string } & WebhookTarget & Signed>;
/** The target whole after the change, and which fields changed (`secretRef`: the secret was rotated). */
export type WebhookSubscriptionChanged = DomainEvent<
  'WebhookSubscriptionChanged',
  { subscriptionId: string; changed: Array<keyof WebhookTarget>; reason: string } & WebhookTarget & Signed
>;
export type WebhookUnsubscribed = DomainEvent<'WebhookUnsubscribed', { subscriptionId: string; reason: string } & Signed>;
export type WebhookSubscriptionEvent = WebhookSubscribed | WebhookSubscriptionChanged | WebhookUnsubscribed;

export const WEBHOOK_SUBSCRIPTION_EVENT_TYPES: ReadonlyArray<WebhookSubscriptionEvent['type']> = ['WebhookSubscribed', 'WebhookSubscriptionChanged', 'WebhookUnsubscribed'];

export type WebhookSubscriptionState =
  | { status: 'Empty' }
  | ({ status: 'Active' | 'Deleted'; subscriptionId: string } & WebhookTarget);

export const initialWebhookSubscriptionState = (): WebhookSubscriptionState => ({ status: 'Empty' });

const ID = /^[a-z0-9][a-z0-9-]{1,63}$/;
const EVENT_TYPE = /^[A-Z][A-Za-z]{2,63}$/;

const invalid = (field: string, message: string): never => {
  throw new InvalidInputError('INVALID_WEBHOOK_SUBSCRIPTION', field, message);
};

const checkUrl = (url: unknown): string => {
  if (typeof url !== 'string' || url.length > 2000) return invalid('url', '接收地址必须是 http(s) 地址');
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') invalid('url', '接收地址必须是 http(s) 地址');
    if (u.username || u.password) invalid('url', '接收地址不能含用户名或密码（签名密钥另行设置）');
  } catch (err) {
    if (err instanceof InvalidInputError) throw err;
    invalid('url', '接收地址必须是 http(s) 地址');
  }
  return url;
};

const checkList = (value: unknown, field: string, pattern: RegExp, limits: { min: number; max: number }, label: string): string[] => {
  if (!Array.isArray(value)) return invalid(field, `${label}必须是数组`);
  if (value.length < limits.min || value.length > limits.max) invalid(field, `${label}应为 ${limits.min}–${limits.max} 项`);
  value.forEach((v, i) => {
    if (typeof v !== 'string' || !pattern.test(v)) invalid(`${field}[${i}]`, `${label}第 ${i + 1} 项无效`);
  });
  if (new Set(value).size !== value.length) invalid(field, `${label}有重复`);
  return [...(value as string[])];
};

const checkTarget = (t: WebhookTarget): WebhookTarget => ({
  url: checkUrl(t.url),
  secretRef: requireText(t.secretRef, 'secretRef', '签名密钥'),
  eventTypes: checkList(t.eventTypes, 'eventTypes', EVENT_TYPE, { min: 1, max: 50 }, '事件类型'),
  unitIds: checkList(t.unitIds, 'unitIds', ID, { min: 0, max: 500 }, '单位编号'),
});

const TARGET_FIELDS: Array<keyof WebhookTarget> = ['url', 'secretRef', 'eventTypes', 'unitIds'];
const same = (a: WebhookTarget[keyof WebhookTarget], b: WebhookTarget[keyof WebhookTarget]) => JSON.stringify(a) === JSON.stringify(b);

export const decideWebhookSubscription = (c: WebhookSubscriptionCommand, s: WebhookSubscriptionState): WebhookSubscriptionEvent[] => {
  validateMetadata(c.metadata);
  const { actor, now } = c.metadata;
  requireRole(actor, ['admin']);
  const at = toUtcIso(now);
  switch (c.type) {
    case 'CreateWebhookSubscription': {
      const subscriptionId = c.data.subscriptionId;
      if (typeof subscriptionId !== 'string' || !ID.test(subscriptionId)) invalid('subscriptionId', '订阅编号只能包含小写字母、数字和连字符');
      const target = checkTarget(c.data);
      // A deleted subscription's id stays taken: its checkpoint and its trail belong to the old receiver.
      if (s.status !== 'Empty') throw new InvalidStateError('WEBHOOK_EXISTS', `订阅 ${subscriptionId} 已存在${s.status === 'Deleted' ? '（已取消，编号不能再用）' : ''}`);
      return [{ type: 'WebhookSubscribed', data: { subscriptionId, ...target, signedBy: actor, at } }];
    }
    case 'ChangeWebhookSubscription': {
      const reason = requireText(c.data.reason, 'reason', '原因');
      if (s.status === 'Empty') throw new NotFoundError('WEBHOOK_NOT_FOUND', 'webhook 订阅不存在');
      if (s.status === 'Deleted') throw new InvalidStateError('WEBHOOK_DELETED', `订阅 ${s.subscriptionId} 已取消`);
      const { status: _status, subscriptionId, ...current } = s;
      const target = checkTarget({
        url: c.data.url ?? current.url,
        secretRef: c.data.secretRef ?? current.secretRef,
        eventTypes: c.data.eventTypes ?? current.eventTypes,
        unitIds: c.data.unitIds ?? current.unitIds,
      });
      const changed = TARGET_FIELDS.filter((f) => !same(target[f], current[f]));
      if (changed.length === 0) return [];
      return [{ type: 'WebhookSubscriptionChanged', data: { subscriptionId, ...target, changed, reason, signedBy: actor, at } }];
    }
    case 'DeleteWebhookSubscription': {
      const reason = requireText(c.data.reason, 'reason', '原因');
      if (s.status === 'Empty') throw new NotFoundError('WEBHOOK_NOT_FOUND', 'webhook 订阅不存在');
      if (s.status === 'Deleted') return [];
      return [{ type: 'WebhookUnsubscribed', data: { subscriptionId: s.subscriptionId, reason, signedBy: actor, at } }];
    }
    default: {
      const unknown: never = c;
      throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${(unknown as { type: string }).type}`);
    }
  }
};

export const evolveWebhookSubscription = (s: WebhookSubscriptionState, e: WebhookSubscriptionEvent): WebhookSubscriptionState => {
  switch (e.type) {
    case 'WebhookSubscribed':
    case 'WebhookSubscriptionChanged': {
      const { subscriptionId, url, secretRef, eventTypes, unitIds } = e.data;
      return { status: 'Active', subscriptionId, url, secretRef, eventTypes, unitIds };
    }
    case 'WebhookUnsubscribed':
      return s.status === 'Empty' ? s : { ...s, status: 'Deleted' };
    default: {
      const unknown: never = e;
      void unknown;
      return s;
    }
  }
};
