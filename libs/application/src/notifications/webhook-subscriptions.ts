import { createHash } from 'node:crypto';
import {
  type Actor,
  type CreateWebhookSubscription,
  InvalidInputError,
  decideWebhookSubscription,
  evolveWebhookSubscription,
  initialWebhookSubscriptionState,
  type WebhookSubscriptionCommand,
  type WebhookSubscriptionEvent,
  type WebhookSubscriptionState,
  webhookSubscriptionStreamId,
} from '@duban/domain';
import { type CommandRunner, type EventStore, loadAggregate } from '@duban/event-store';
import { type CommandMeta, commandRequest } from '../commands';

/**
 * Where webhook secrets are held, beside the log and never in it (libs/read-models' `webhook_secrets_v1`). A secret is
 * put under its ref just before the event naming the ref is appended: an append that then fails leaves a secret no
 * event names, which nothing reads.
 */
export interface WebhookSecretVault {
  put(secretRef: string, subscriptionId: string, secret: string): Promise<void>;
}

type Target = Omit<CreateWebhookSubscription['data'], 'subscriptionId' | 'secretRef'>;

/** How the requests travel: with the secret itself, which the service turns into a ref for the events. */
export type WebhookSubscriptionRequest =
  | { type: 'CreateWebhookSubscription'; data: { subscriptionId: string; secret: string } & Target }
  | { type: 'ChangeWebhookSubscription'; subscriptionId: string; data: Partial<Target> & { secret?: string; reason: string } }
  | { type: 'DeleteWebhookSubscription'; subscriptionId: string; data: { reason: string } };

export interface WebhookSubscriptionResult {
  subscriptionId: string;
  version: number;
  /** The events appended; empty when the command changed nothing (the same values, or already deleted). */
  events: string[];
}

/**
 * 外部系统订阅 as commands (administrators, Idempotency-Key): each appends signed events on the subscription's own
 * stream; the subscriptions table the worker delivers from is their projection. The secret's ref is derived from the
 * request's key, so a retry of the same request names the same secret.
 */
export class WebhookSubscriptionCommands {
  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly vault: WebhookSecretVault,
  ) {}

  handle(command: WebhookSubscriptionRequest, signer: Actor, meta: CommandMeta): Promise<WebhookSubscriptionResult> {
    const subscriptionId = command.type === 'CreateWebhookSubscription' ? command.data.subscriptionId : command.subscriptionId;
    const { secret, ...rest } = command.data as { secret?: string };
    const secretRef = secret === undefined ? undefined : createHash('sha256').update(`${subscriptionId}\u0000${meta.idempotencyKey}`).digest('hex').slice(0, 32);
    // What makes the request what it is, without the secret or anything derived from it (the command record is kept as
    // long as the log): the same key with another secret replays the first answer, and the first secret stays.
    const body = { subscriptionId, ...rest, ...(secretRef ? { secretRef } : {}) };
    const request = commandRequest(command.type, signer, meta, body);
    const streamId = webhookSubscriptionStreamId(subscriptionId);
    return this.runner.run<WebhookSubscriptionResult>(request, async ({ now, toNewEvents }) => {
      if (typeof secret === 'string' && (secret.length < 16 || secret.length > 200)) {
        throw new InvalidInputError('INVALID_WEBHOOK_SUBSCRIPTION', 'secret', '签名密钥长度应为 16–200');
      }
      const { state, version } = await loadAggregate<WebhookSubscriptionState, WebhookSubscriptionEvent>(this.store, streamId, evolveWebhookSubscription, initialWebhookSubscriptionState());
      const data = { ...rest, ...(secretRef ? { secretRef } : {}) };
      const decided = decideWebhookSubscription(
        { type: command.type, data, metadata: { now, actor: signer } } as WebhookSubscriptionCommand,
        state,
      );
      if (secretRef && decided.length) await this.vault.put(secretRef, subscriptionId, secret!);
      return {
        appends: decided.length ? [{ streamId, expectedVersion: version, events: toNewEvents(streamId, decided) }] : [],
        result: (s) => ({ subscriptionId, version: s[0]?.toVersion ?? version, events: decided.map((e) => e.type) }),
      };
    });
  }
}
