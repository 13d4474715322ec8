import { INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DEMO_CAMPAIGN, DEMO_UNITS, DEMO_USERS, Actor, demoPhoneOf } from '@duban/domain';
import { CampaignCommands, type DirectoryCommandRequest } from '@duban/application';
import { DirectoryWriter } from '../directory/directory-writer';

const SEED_REASON = '演示县初始目录（npm run seed）';

/** The demo county's directory as directory commands: units (parents first), people, then each team's leader. */
export function demoDirectoryCommands(): DirectoryCommandRequest[] {
  const ordered = [...DEMO_UNITS].sort((a, b) => Number(!!a.parentId) - Number(!!b.parentId));
  const units: DirectoryCommandRequest[] = ordered.map((u) => ({
    type: 'CreateUnit',
    data: { unitId: u.id, name: u.name, kind: u.kind, parentId: u.parentId ?? null, reason: SEED_REASON },
  }));
  const people: DirectoryCommandRequest[] = DEMO_USERS.map((p) => ({
    type: 'RegisterPerson',
    data: { personId: p.id, name: p.name, phone: demoPhoneOf(p.id), title: p.title, unitId: p.unitId, role: p.role, reason: SEED_REASON },
  }));
  // A team's leader is its inspector titled 组长: missed daily reports are recorded against them.
  const leaders: DirectoryCommandRequest[] = DEMO_UNITS.filter((u) => u.kind === 'supervision_team').flatMap((u) => {
    const leader = DEMO_USERS.filter((p) => p.unitId === u.id && p.role === 'inspector' && p.title.includes('组长'))
      .map((p) => p.id)
      .sort()[0];
    return leader ? [{ type: 'AssignUnitLeader' as const, data: { unitId: u.id, leaderUserId: leader, reason: SEED_REASON } }] : [];
  });
  return [...units, ...people, ...leaders];
}

/**
 * The demo county of the seed documents: units, people for every role, and a three-phase campaign — through the same
 * directory and campaign commands as everyone else. Safe to run again: the directory batch's idempotency key is the
 * hash of its commands (the same seed replays; a changed demo county adds only what is new, as what exists is
 * refused and left out), and the campaign is created under a fixed key.
 */
export async function seedDemo(app: INestApplicationContext): Promise<{ units: number; users: number; campaignId: string }> {
  const admin = DEMO_USERS.find((u) => u.role === 'admin')!;
  const actor: Actor = { userId: admin.id, name: admin.name, unitId: admin.unitId, role: 'admin' };
  const commands = demoDirectoryCommands();
  const digest = createHash('sha256').update(JSON.stringify(commands)).digest('hex').slice(0, 32);
  await app.get(DirectoryWriter).handleBatch(commands, actor, { idempotencyKey: `seed-directory-${digest}`, correlationId: 'seed' }, 'SeedDemoDirectory');
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
