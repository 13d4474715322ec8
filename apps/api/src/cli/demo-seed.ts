import { INestApplicationContext } from '@nestjs/common';
import { Pool } from 'pg';
import { DEMO_CAMPAIGN, DEMO_UNITS, DEMO_USERS, Actor } from '@duban/domain';
import { guardPool } from '@duban/event-store';
import { CampaignCommands } from '@duban/application';

/**
 * The demo county of the seed documents: units, people for every role, and a three-phase campaign.
 * Safe to run again: units and people are upserted, and the campaign is created under a fixed idempotency key.
 */
export async function seedDemo(
  app: INestApplicationContext,
  adminDatabaseUrl: string,
): Promise<{ units: number; users: number; campaignId: string }> {
  // The directory is written through the owner's connection: the application role may only read it.
  const pool = guardPool(new Pool({ connectionString: adminDatabaseUrl, max: 1 }), () => undefined);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Parents first: supervision teams hang under the county office.
    const ordered = [...DEMO_UNITS].sort((a, b) => Number(!!a.parentId) - Number(!!b.parentId));
    for (const u of ordered) {
      await client.query(
        `INSERT INTO directory_units (unit_id, name, kind, parent_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (unit_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id`,
        [u.id, u.name, u.kind, u.parentId ?? null],
      );
    }
    for (const p of DEMO_USERS) {
      await client.query(
        `INSERT INTO directory_users (user_id, name, unit_id, role, title) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET name = EXCLUDED.name, unit_id = EXCLUDED.unit_id, role = EXCLUDED.role, title = EXCLUDED.title`,
        [p.id, p.name, p.unitId, p.role, p.title],
      );
    }
    // A team's leader is its first inspector: missed daily reports are recorded against them.
    await client.query(
      `UPDATE directory_units u SET leader_user_id = (
         SELECT min(user_id) FROM directory_users p WHERE p.unit_id = u.unit_id AND p.role = 'inspector'
           AND p.title LIKE '%组长%')
       WHERE u.kind = 'supervision_team'`,
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
    await pool.end();
  }
  const admin = DEMO_USERS.find((u) => u.role === 'admin')!;
  const actor: Actor = { userId: admin.id, name: admin.name, unitId: admin.unitId, role: 'admin' };
  await app.get(CampaignCommands).handle(
    {
      type: 'CreateCampaign',
      data: {
        campaignId: DEMO_CAMPAIGN.id,
        name: DEMO_CAMPAIGN.name,
        noticePrefix: DEMO_CAMPAIGN.noticePrefix,
        phases: DEMO_CAMPAIGN.phases.map((p) => ({ ...p })),
        calendarOverrides: { restDays: [], workDays: [] },
      },
    },
    actor,
    { idempotencyKey: `seed-${DEMO_CAMPAIGN.id}`, correlationId: 'seed' },
  );
  return { units: DEMO_UNITS.length, users: DEMO_USERS.length, campaignId: DEMO_CAMPAIGN.id };
}
