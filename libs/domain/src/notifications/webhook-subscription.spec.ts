import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, utc } from '../testing/fixtures';
import type { Actor } from '../shared/actor';
import {
  decideWebhookSubscription,
  evolveWebhookSubscription,
  initialWebhookSubscriptionState,
  type WebhookSubscriptionCommand,
  type WebhookSubscriptionEvent,
  webhookSubscriptionStreamId,
} from './webhook-subscription';

const spec = deciderSpec(
  { decide: (c: WebhookSubscriptionCommand, s, _ctx: undefined) => decideWebhookSubscription(c, s), evolve: evolveWebhookSubscription, initialState: initialWebhookSubscriptionState },
  undefined,
);
const { admin, supervisor } = actors;
const meta = (actor: Actor = admin) => ({ now: sh('2026-10-20 09:00'), actor });
const target = { url: 'https://gov.example/hook', secretRef: 'ref-1', eventTypes: ['FindingDispatched'], unitIds: ['town-a'] };
const create = (over: object = {}, actor: Actor = admin): WebhookSubscriptionCommand => ({
  type: 'CreateWebhookSubscription',
  data: { subscriptionId: 'gov-platform', ...target, ...over },
  metadata: meta(actor),
});
const signed = { signedBy: admin, at: utc('2026-10-20 09:00') };
const subscribed: WebhookSubscriptionEvent = { type: 'WebhookSubscribed', data: { subscriptionId: 'gov-platform', ...target, ...signed } };
const unsubscribed: WebhookSubscriptionEvent = { type: 'WebhookUnsubscribed', data: { subscriptionId: 'gov-platform', reason: '平台下线', ...signed } };

describe('外部系统订阅 as signed events', () => {
  it('its own stream per subscription', () => {
    expect(webhookSubscriptionStreamId('gov-platform')).toBe('webhook-subscription-gov-platform');
  });

  it('given nothing, when an administrator subscribes, then the target is recorded with the secret’s ref (never the secret)', () => {
    spec.given([]).when(create()).then([subscribed]);
  });

  it('given a subscription, when the secret is rotated and a unit added, then the whole target and the changed fields are recorded', () => {
    const change: WebhookSubscriptionCommand = { type: 'ChangeWebhookSubscription', data: { secretRef: 'ref-2', unitIds: ['town-a', 'town-b'], reason: '密钥轮换' }, metadata: meta() };
    spec.given([subscribed]).when(change).then([
      { type: 'WebhookSubscriptionChanged', data: { subscriptionId: 'gov-platform', ...target, secretRef: 'ref-2', unitIds: ['town-a', 'town-b'], changed: ['secretRef', 'unitIds'], reason: '密钥轮换', ...signed } },
    ]);
  });

  it('a change to what it already is records nothing; deleting twice records once', () => {
    spec.given([subscribed]).when({ type: 'ChangeWebhookSubscription', data: { url: target.url, reason: '核对' }, metadata: meta() }).then([]);
    spec.given([subscribed]).when({ type: 'DeleteWebhookSubscription', data: { reason: '平台下线' }, metadata: meta() }).then([unsubscribed]);
    spec.given([subscribed, unsubscribed]).when({ type: 'DeleteWebhookSubscription', data: { reason: '平台下线' }, metadata: meta() }).then([]);
  });

  it('refuses a non-admin, a taken or cancelled id, bad targets (naming the field), an unknown subscription', () => {
    spec.given([]).when(create({}, supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    spec.given([subscribed]).when(create()).thenThrows({ kind: 'invalid_state', code: 'WEBHOOK_EXISTS' });
    spec.given([subscribed, unsubscribed]).when(create()).thenThrows({ kind: 'invalid_state', code: 'WEBHOOK_EXISTS' });
    spec.given([]).when(create({ url: 'ftp://gov.example/hook' })).thenThrows({ kind: 'invalid_input', field: 'url' });
    spec.given([]).when(create({ url: 'https://user:pw@gov.example/hook' })).thenThrows({ kind: 'invalid_input', field: 'url' });
    spec.given([]).when(create({ eventTypes: [] })).thenThrows({ kind: 'invalid_input', field: 'eventTypes' });
    spec.given([]).when(create({ unitIds: ['Town A'] })).thenThrows({ kind: 'invalid_input', field: 'unitIds[0]' });
    spec.given([]).when(create({ subscriptionId: 'Gov' })).thenThrows({ kind: 'invalid_input', field: 'subscriptionId' });
    spec.given([]).when({ type: 'ChangeWebhookSubscription', data: { url: target.url, reason: '核对' }, metadata: meta() }).thenThrows({ kind: 'not_found', code: 'WEBHOOK_NOT_FOUND' });
    spec.given([subscribed, unsubscribed]).when({ type: 'ChangeWebhookSubscription', data: { url: target.url, reason: '核对' }, metadata: meta() }).thenThrows({ kind: 'invalid_state', code: 'WEBHOOK_DELETED' });
    spec.given([subscribed]).when({ type: 'DeleteWebhookSubscription', data: { reason: ' ' }, metadata: meta() }).thenThrows({ kind: 'invalid_input', field: 'reason' });
  });
});
