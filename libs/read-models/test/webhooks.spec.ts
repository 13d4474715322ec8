import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { GlobalPosition } from '@duban/event-store';
import { actors } from '@duban/domain/testing/fixtures';
import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { randomUUID } from 'node:crypto';
import { createWriteSide } from '@duban/application';
import {
  AuditTrailQuery,
  createProjections,
  PostgresWebhookSecrets,
  ProjectionRunner,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  WebhookDeliverer,
  webhookSignature,
  WebhookSubscriptions,
} from '../src';
import { catchUpFully, FindingDriver, headOf, sh, storeClock } from './harness';

const SECRET = 'receiver-shared-secret';

/** A real HTTP receiver: checks each signature, answers 500 for the first `failFirst` requests, dedupes by event id. */
class Receiver {
  requests = 0;
  badSignatures = 0;
  readonly seen: string[] = [];
  failFirst = 0;
  down = false;
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.take(req).then((status) => res.writeHead(status).end()));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Each event id once, however often it came. */
  get unique(): string[] {
    return [...new Set(this.seen)];
  }

  private async take(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests++;
    const expected = Buffer.from(webhookSignature(SECRET, String(req.headers[WEBHOOK_TIMESTAMP_HEADER]), body));
    const got = Buffer.from(String(req.headers[WEBHOOK_SIGNATURE_HEADER] ?? ''));
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      this.badSignatures++;
      return 401;
    }
    if (this.down || this.requests <= this.failFirst) return 500;
    this.seen.push((JSON.parse(body) as { eventId: string }).eventId);
    return 200;
  }
}

/** Killed after its deliveries, before its checkpoint: the next run delivers the batch again. */
class KilledBeforeCheckpoint extends WebhookDeliverer {
  protected override async storeCheckpoint(_from: GlobalPosition, _to: GlobalPosition): Promise<void> {
    throw new Error('deliverer killed before its checkpoint');
  }
}

describe('webhooks: signed bodies, retries, dead letters, a checkpoint per subscriber (real HTTP receiver, real PostgreSQL)', () => {
  let db: TestDatabase;
  let dispatches: string[];
  let driver: FindingDriver;
  const { inspector, supervisor, admin } = actors;

  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    const record = { campaignId: 'c1', source: 'household_inspection' as const, categoryCode: '2.3', severity: 'red' as const, description: '危房未改造', evidence: ['photo-1'] };
    for (const [id, unit] of [['f1', 'town-a'], ['f2', 'town-a'], ['f3', 'town-c']]) {
      await driver.exec(id, 'RecordFinding', { findingId: id, townUnitId: unit, ...record }, inspector, sh('2026-10-12 09:00'));
      await driver.exec(id, 'DispatchFinding', { unitId: unit }, supervisor, sh('2026-10-12 15:00'));
    }
    const r = await db.adminPool.query<{ event_id: string }>(
      `SELECT event_id::text FROM events WHERE type = 'FindingDispatched' AND stream_id IN ('finding-f1', 'finding-f2') ORDER BY stream_id`,
    );
    dispatches = r.rows.map((x) => x.event_id);
    expect(dispatches).toHaveLength(2);
  });
  afterAll(async () => db.drop());

  /** The deliverer past the log's last event (one pass may stop short behind a transaction open elsewhere). */
  const deliverFully = async (deliverer: WebhookDeliverer) => {
    if (!(await deliverer.catchUpTo(await headOf(db.adminPool)))) throw new Error('the deliverer did not reach the head of the log');
  };

  const subscribe = (id: string, url: string) => ({ subscriptionId: id, url, secret: SECRET, eventTypes: ['FindingDispatched'], unitIds: ['town-a'] });

  it('a receiver that fails three times then succeeds gets each of its events once (by event id), signature checked', async () => {
    const receiver = new Receiver();
    receiver.failFirst = 3;
    const deliverer = new WebhookDeliverer(db.appPool, subscribe('flaky', await receiver.start()), { maxAttempts: 5, backoffMs: 1 });
    try {
      await deliverFully(deliverer);
      expect(receiver.badSignatures).toBe(0);
      expect(receiver.seen).toEqual(dispatches); // town-c's dispatch and other event types are not its
      expect(receiver.requests).toBe(3 + dispatches.length);
      expect(await deliverer.deadLetters()).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('killed between delivering and checkpointing, it delivers again: the receiver’s dedupe by event id keeps each once', async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    try {
      await expect(new KilledBeforeCheckpoint(db.appPool, subscribe('crash', url), { backoffMs: 1 }).runOnce()).rejects.toThrow('killed');
      const deliverer = new WebhookDeliverer(db.appPool, subscribe('crash', url), { backoffMs: 1 });
      await deliverFully(deliverer);
      expect(receiver.seen).toEqual([...dispatches, ...dispatches]);
      expect(receiver.unique).toEqual(dispatches);
      await deliverFully(deliverer);
      expect(receiver.seen).toHaveLength(4); // past the checkpoint now: nothing more
    } finally {
      await receiver.stop();
    }
  });

  it('a receiver down for good ends in the dead-letter list; manual redelivery sends the same body once it is back', async () => {
    const receiver = new Receiver();
    receiver.down = true;
    const deliverer = new WebhookDeliverer(db.appPool, subscribe('down', await receiver.start()), { maxAttempts: 3, backoffMs: 1 });
    try {
      await deliverFully(deliverer);
      expect(receiver.requests).toBe(3 * dispatches.length);
      expect(await deliverer.deadLetters()).toEqual(dispatches.map((eventId) => ({ eventId, attempts: 3, lastError: 'HTTP 500' })));
      expect(await deliverer.redeliver(dispatches[0])).toBe(false);
      receiver.down = false;
      for (const eventId of dispatches) expect(await deliverer.redeliver(eventId)).toBe(true);
      expect(receiver.unique).toEqual(dispatches);
      expect(await deliverer.deadLetters()).toEqual([]);
      expect(receiver.badSignatures).toBe(0);
    } finally {
      await receiver.stop();
    }
  });

  it('subscribing is a signed command: its events project to the subscribers, the secret stays out of the log, the trail shows who', async () => {
    const write = createWriteSide({ store: driver.store, clock: storeClock, webhookSecrets: new PostgresWebhookSecrets(db.appPool) });
    const meta = (idempotencyKey: string) => ({ idempotencyKey, correlationId: randomUUID(), at: sh('2026-10-13 09:00') });
    const receiver = new Receiver();
    const url = await receiver.start();
    try {
      const data = { subscriptionId: 'signed', url, secret: SECRET, eventTypes: ['FindingDispatched'], unitIds: ['town-a'] };
      const first = await write.webhooks.handle({ type: 'CreateWebhookSubscription', data }, admin, meta('sub-1'));
      expect(first).toEqual({ subscriptionId: 'signed', version: 1, events: ['WebhookSubscribed'] });
      expect(await write.webhooks.handle({ type: 'CreateWebhookSubscription', data }, admin, meta('sub-1'))).toEqual(first);
      await expect(write.webhooks.handle({ type: 'CreateWebhookSubscription', data }, admin, meta('sub-2'))).rejects.toMatchObject({ code: 'WEBHOOK_EXISTS' });
      const logged = await db.adminPool.query<{ data: string; n: string }>(`SELECT data::text, count(*) OVER () AS n FROM events WHERE stream_id = 'webhook-subscription-signed'`);
      expect(logged.rows).toHaveLength(1);
      expect(logged.rows[0].data).not.toContain(SECRET);

      await catchUpFully(new ProjectionRunner(db.appPool, createProjections()), db.adminPool);
      const [projected] = (await new WebhookSubscriptions(db.appPool).active()).filter((x) => x.subscriptionId === 'signed');
      expect(projected).toEqual({ subscriptionId: 'signed', url, secret: SECRET, eventTypes: ['FindingDispatched'], unitIds: ['town-a'] });
      await deliverFully(new WebhookDeliverer(db.appPool, projected, { backoffMs: 1 }));
      expect(receiver.badSignatures).toBe(0);
      expect(receiver.unique).toEqual(dispatches);

      await write.webhooks.handle({ type: 'DeleteWebhookSubscription', subscriptionId: 'signed', data: { reason: '对方平台下线' } }, admin, meta('sub-3'));
      await catchUpFully(new ProjectionRunner(db.appPool, createProjections()), db.adminPool);
      expect((await new WebhookSubscriptions(db.appPool).active()).map((x) => x.subscriptionId)).not.toContain('signed');
      const trail = await new AuditTrailQuery(db.appPool).forSigner(admin.userId);
      expect(trail.items.filter((t) => t.eventType.startsWith('Webhook')).map((t) => t.summary)).toEqual(
        expect.arrayContaining([`订阅 webhook signed：${url}，事件 FindingDispatched，单位 town-a`, '取消 webhook 订阅 signed：对方平台下线']),
      );
    } finally {
      await receiver.stop();
    }
  });
});
