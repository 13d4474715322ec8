import type { Pool } from 'pg';
import {
  DIGEST_SECTIONS,
  digestDayAt,
  digestText,
  type NoticeRouting,
  planUnitDigest,
  type UnitDigest,
} from '@duban/domain';
import { withTransaction } from '@duban/event-store';
import { type CampaignNotifying, insertInboxEntries, resolveRecipients } from '../inbox/inbox-notifier';
import { enqueueMessages } from '../outbox/outbound-messages';

/**
 * 每日摘要 for every unit with open findings, in every campaign whose digest hour has come today (planUnitDigest):
 * each digest is recorded with its inbox notices (every active official of the unit) and its text messages in one
 * transaction. **Once, for a digest, means one row per (campaign, unit, workday)**: the row's primary key decides, so a
 * pass repeated every minute, a restart or a second worker records nothing more; the inbox notices and messages take
 * their ids from the digest's key as a second guard. Returns how many digests were recorded.
 */
export async function sendDueDigests(pool: Pool, now: string, campaignOf: CampaignNotifying): Promise<number> {
  const campaigns = await pool.query<{ campaign_id: string }>(
    `SELECT DISTINCT campaign_id FROM notification_routing_v1 WHERE campaign_id IS NOT NULL AND routing->>'dueDate' IS NOT NULL ORDER BY campaign_id`,
  );
  let recorded = 0;
  for (const { campaign_id: campaignId } of campaigns.rows) {
    const { calendar, settings } = await campaignOf(campaignId);
    const workday = digestDayAt(now, calendar, settings);
    if (!workday) continue;
    const [open, history] = await Promise.all([
      pool.query<{ finding_id: string; routing: NoticeRouting }>(
        `SELECT finding_id, routing FROM notification_routing_v1 WHERE campaign_id = $1 AND routing->>'dueDate' IS NOT NULL`,
        [campaignId],
      ),
      pool.query<{ unit_id: string; last_at: Date; today: boolean }>(
        `SELECT unit_id, max(digest_at) AS last_at, bool_or(workday = $2::date) AS today FROM unit_digests_v1 WHERE campaign_id = $1 GROUP BY unit_id`,
        [campaignId, workday],
      ),
    ]);
    const last = new Map(history.rows.map((h) => [h.unit_id, h]));
    const findings = open.rows.map((r) => ({ findingId: r.finding_id, routing: r.routing }));
    const units = [...new Set(findings.map((f) => f.routing.unitId).filter((u): u is string => !!u))].sort();
    for (const unitId of units) {
      const before = last.get(unitId);
      if (before?.today) continue;
      const digest = planUnitDigest({ campaignId, unitId, workday, findings, lastDigestAt: before?.last_at.toISOString() ?? null }, calendar, settings);
      if (digest) recorded += await recordDigest(pool, digest, now);
    }
  }
  return recorded;
}

/** 1 when this call recorded the digest, 0 when it was there already (another pass or worker got there first). */
async function recordDigest(pool: Pool, d: UnitDigest, now: string): Promise<number> {
  return withTransaction(pool, async (tx) => {
    const people = await resolveRecipients(tx, [{ kind: 'unit', unitId: d.unitId }]);
    const count = (s: (typeof DIGEST_SECTIONS)[number]) => d.sections[s].length;
    const row = await tx.query(
      `INSERT INTO unit_digests_v1 (campaign_id, unit_id, workday, digest_key, digest_at, since, title, sections,
         new_count, due_count, overdue_count, escalated_count, recipients, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING`,
      [d.campaignId, d.unitId, d.workday, d.key, d.at, d.since, d.title, JSON.stringify(d.sections), count('new'), count('due'), count('overdue'), count('escalated'), people.map((p) => p.userId), now],
    );
    if (!row.rowCount) return 0;
    await insertInboxEntries(
      tx,
      people.map((p) => ({ userId: p.userId, about: d.key, kind: 'digest', title: d.title, findingId: null, unitId: d.unitId, createdAt: d.at })),
    );
    const body = digestText(d);
    await enqueueMessages(tx, people.map((p) => ({ userId: p.userId, kind: 'digest', about: d.key, body, createdAt: d.at })));
    return 1;
  });
}
