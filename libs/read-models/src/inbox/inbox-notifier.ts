import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import {
  EMPTY_ROUTING,
  evolveRouting,
  type FindingEvent,
  FINDING_EVENT_TYPES,
  type NoticeRouting,
  noticesFor,
  noticeReceiptsStreamId,
  type Recipient,
  dueReminders,
  planReminders,
  type ReminderSettings,
  type WorkdayCalendar,
} from '@duban/domain';
import { type LogBatch, type LogSource, type PollingLogger, type RecordedEvent, TransactionalSubscription, withTransaction } from '@duban/event-store';
import { enqueueMessages } from '../outbox/outbound-messages';
import { findingIdOf } from '../support';

/** A campaign's calendar and reminder settings (its own, or the defaults), as the worker reads them for a pass. */
export type CampaignNotifying = (campaignId: string) => Promise<{ calendar: WorkdayCalendar; settings: ReminderSettings }>;

/** Reminders that also go out as a text message (SMS / 政务 IM): a deadline or a ladder rung tomorrow. */
const URGENT: ReadonlySet<string> = new Set(['due_tomorrow', 'rung_tomorrow']);

export const INBOX_CHECKPOINT = 'notifier:inbox:v1';

export interface InboxNotifierOptions {
  batchSize?: number;
  logger?: PollingLogger;
  /** The log when it is not in PostgreSQL (EVENT_STORE=kurrentdb). */
  source?: LogSource;
}

const RECEIPTS_PREFIX = noticeReceiptsStreamId('');
const FINDING_TYPES: ReadonlySet<string> = new Set(FINDING_EVENT_TYPES);

/** A notice's id from what it is about, its kind and its reader: the same fact never makes two rows. */
export const inboxNoticeId = (about: string, kind: string, userId: string): string =>
  createHash('sha256').update(`${about}\u0000${kind}\u0000${userId}`).digest('hex').slice(0, 32);

/** One notice for one person, as the inbox stores it. */
export interface InboxEntry {
  userId: string;
  about: string;
  kind: string;
  title: string;
  findingId: string | null;
  unitId: string | null;
  createdAt: string;
}

/** Writes notices in the caller's transaction; a notice already there (same id) is left as it was, read or not. */
export async function insertInboxEntries(tx: PoolClient, entries: InboxEntry[]): Promise<number> {
  let written = 0;
  for (const n of entries) {
    const r = await tx.query(
      `INSERT INTO inbox_notices_v1 (notice_id, user_id, about, kind, title, finding_id, unit_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (notice_id) DO NOTHING`,
      [inboxNoticeId(n.about, n.kind, n.userId), n.userId, n.about, n.kind, n.title, n.findingId, n.unitId, n.createdAt],
    );
    written += r.rowCount ?? 0;
  }
  return written;
}

/** The people a recipient stands for now: a person, or a unit's active officials (read in the same transaction). */
export async function resolveRecipients(tx: PoolClient, to: Recipient[]): Promise<Array<{ userId: string; unitId: string | null }>> {
  const people = new Map<string, string | null>();
  for (const r of to) {
    if (r.kind === 'person') {
      if (!people.has(r.userId)) people.set(r.userId, null);
      continue;
    }
    const officials = await tx.query<{ user_id: string }>(
      `SELECT user_id FROM directory_users_v1 WHERE unit_id = $1 AND active AND role = 'unit_official' ORDER BY user_id`,
      [r.unitId],
    );
    for (const o of officials.rows) people.set(o.user_id, r.unitId);
  }
  return [...people].map(([userId, unitId]) => ({ userId, unitId }));
}

/**
 * The in-app inbox's notifier: a checkpointed consumer of the log that decides who must hear what (noticesFor) and
 * writes each person's notices in the same transaction as its checkpoint. Exactly once for the inbox: a crash
 * between writing and checkpointing rolls both back, and the batch is handled again from the old checkpoint.
 * It keeps each finding's routing (unit, owner, dates) beside the notices, guarded by stream version.
 */
export class InboxNotifier {
  readonly subscription: TransactionalSubscription<number>;

  constructor(pool: Pool, options: InboxNotifierOptions = {}) {
    this.subscription = new TransactionalSubscription<number>(
      pool,
      { name: INBOX_CHECKPOINT, batchSize: options.batchSize ?? 200, loopName: 'notifier', logger: options.logger, source: options.source },
      (batch, tx) => this.apply(batch, tx),
    );
  }

  /** How many notices the batch wrote. */
  protected async apply({ events }: LogBatch, tx: PoolClient): Promise<number> {
    let written = 0;
    for (const e of events) {
      if (e.type === 'NoticeRead' && e.streamId.startsWith(RECEIPTS_PREFIX)) {
        // The receipt is the signed fact; the inbox's read mark follows it, so a rebuild of the mark is the log's.
        const d = e.data as { noticeId: string; at: string };
        await tx.query('UPDATE inbox_notices_v1 SET read_at = $2 WHERE notice_id = $1 AND read_at IS NULL', [d.noticeId, d.at]);
        continue;
      }
      const findingId = findingIdOf(e.streamId);
      if (!findingId || !FINDING_TYPES.has(e.type)) continue;
      written += await this.applyFindingEvent(tx, findingId, e);
    }
    return written;
  }

  private async applyFindingEvent(tx: PoolClient, findingId: string, e: RecordedEvent): Promise<number> {
    const row = await tx.query<{ routing: NoticeRouting; stream_version: number }>(
      'SELECT routing, stream_version FROM notification_routing_v1 WHERE finding_id = $1',
      [findingId],
    );
    if (row.rows.length && row.rows[0].stream_version >= e.version) return 0;
    const before = row.rows[0]?.routing ?? EMPTY_ROUTING;
    const event = { type: e.type, data: e.data } as unknown as FindingEvent;
    const after = evolveRouting(before, event);
    const campaignId = event.type === 'FindingRecorded' || event.type === 'FindingImported' ? event.data.campaignId : null;
    await tx.query(
      `INSERT INTO notification_routing_v1 (finding_id, campaign_id, routing, stream_version) VALUES ($1, $2, $3, $4)
       ON CONFLICT (finding_id) DO UPDATE SET routing = EXCLUDED.routing, stream_version = EXCLUDED.stream_version,
         campaign_id = COALESCE(notification_routing_v1.campaign_id, EXCLUDED.campaign_id)`,
      [findingId, campaignId, JSON.stringify(after), e.version],
    );
    const entries: InboxEntry[] = [];
    for (const notice of noticesFor(event, before)) {
      for (const person of await resolveRecipients(tx, notice.to)) {
        entries.push({ userId: person.userId, about: e.eventId, kind: notice.kind, title: notice.title, findingId, unitId: person.unitId, createdAt: e.recordedAt });
      }
    }
    return insertInboxEntries(tx, entries);
  }
}

/**
 * 临近提醒 into the inbox: for every finding the notifier routes, the reminders due at `now` (planReminders /
 * dueReminders in the campaign's calendar and its own settings: workdays only, never in the quiet hours, only the kinds
 * it switched on), each written once — its notice id comes from the reminder's key, so a pass repeated (every poll, or
 * after a restart) writes nothing more. Urgent ones (a deadline or a rung tomorrow) also go to the SMS / 政务 IM outbox
 * in the same transaction, under a message id from the same key.
 */
export async function sendDueReminders(pool: Pool, now: string, campaignOf: CampaignNotifying): Promise<number> {
  const open = await pool.query<{ finding_id: string; campaign_id: string; routing: NoticeRouting }>(
    `SELECT finding_id, campaign_id, routing FROM notification_routing_v1
      WHERE campaign_id IS NOT NULL AND (routing->>'dueDate' IS NOT NULL OR routing->'nextRung' <> 'null'::jsonb)`,
  );
  const campaigns = new Map<string, Awaited<ReturnType<CampaignNotifying>>>();
  let written = 0;
  for (const row of open.rows) {
    const campaign = campaigns.get(row.campaign_id) ?? (await campaignOf(row.campaign_id));
    campaigns.set(row.campaign_id, campaign);
    const { calendar, settings } = campaign;
    const due = dueReminders(planReminders(row.finding_id, row.routing, calendar, settings, calendar.localDateOf(now)), now, calendar, settings);
    if (due.length === 0) continue;
    written += await withTransaction(pool, async (tx) => {
      const entries: InboxEntry[] = [];
      for (const r of due) {
        for (const person of await resolveRecipients(tx, r.to)) {
          entries.push({ userId: person.userId, about: r.key, kind: r.kind, title: r.title, findingId: row.finding_id, unitId: person.unitId, createdAt: r.at });
        }
      }
      const inserted = await insertInboxEntries(tx, entries);
      await enqueueMessages(
        tx,
        entries.filter((e) => URGENT.has(e.kind)).map((e) => ({ userId: e.userId, kind: e.kind, about: e.about, body: `【督办提醒】${e.title}`, createdAt: e.createdAt })),
      );
      return inserted;
    });
  }
  return written;
}
