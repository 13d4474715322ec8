import type { INestApplicationContext } from '@nestjs/common';
import type { Pool } from 'pg';
import { createWriteSide } from '@duban/application';
import { DEMO_UNITS } from '@duban/domain';
import { EVENT_STORE, type EventStore, STREAM_LOCKS, type StreamLocks } from '@duban/event-store';
import { createProjections, ProjectionRunner } from '@duban/read-models';
import { CLOCK, type Clock, PG_POOL } from '../../database/database.module';
import { DirectoryRepository } from '../../directory/directory.repository';
import { EvidenceIntake } from '../../evidence/storage/evidence-intake';
import { EvidenceUploadsRepository } from '../../evidence/storage/evidence-uploads.repository';
import { type DemoHistoryResult, seedDemoHistory } from './demo-history';

export { seedDemoHistory, demoFindingId, type DemoHistoryResult } from './demo-history';

/** `npm start -- --no-history` or `DUBAN_DEMO=no-history`: the demo county's directory and campaign without the month of history. */
export const demoHistoryWanted = (argv: string[] = process.argv, env: NodeJS.ProcessEnv = process.env): boolean =>
  !argv.includes('--no-history') && !['no-history', 'off', '0', 'false', 'empty'].includes((env.DUBAN_DEMO ?? '').trim().toLowerCase());

/** The demo history written through the API application's own write side, evidence intake and projections. */
export async function seedDemoHistoryIn(app: INestApplicationContext, now: Date): Promise<DemoHistoryResult> {
  const store = app.get<EventStore>(EVENT_STORE);
  const pool = app.get<Pool>(PG_POOL);
  const uploads = app.get(EvidenceUploadsRepository);
  const write = createWriteSide({
    store,
    clock: app.get<Clock>(CLOCK),
    locks: app.get<StreamLocks>(STREAM_LOCKS),
    units: app.get(DirectoryRepository),
    evidence: uploads,
  });
  const names = new Map(DEMO_UNITS.map((u) => [u.id, u.name]));
  const projections = new ProjectionRunner(pool, createProjections({ unitName: (id) => names.get(id) }));
  return seedDemoHistory({ store, write, evidence: app.get(EvidenceIntake), uploads, projections, pool }, now);
}
