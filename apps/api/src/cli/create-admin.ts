import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { type Actor } from '@duban/domain';
import { DEFAULT_APP_PASSWORD, guardPool, migrate } from '@duban/event-store';
import { AppModule } from '../app.module';
import { SignInService } from '../auth/sign-in.service';
import { loadConfig } from '../config/config';
import { DirectoryRepository } from '../directory/directory.repository';

const USAGE = `usage: npm run create-admin -- --login <login> --name <姓名> [--user-id <id>] [--phone <11 digits>]
                      [--unit-id <id>] [--unit-name <县巩固办>]
Opens the first administrator's account on a county with no one in it yet (no demo seed needed): the county office
unit and the administrator are added to the directory if missing, and a one-time temporary password is printed.`;

function args(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)$/.exec(argv[i]);
    if (!m || i + 1 >= argv.length) throw new Error(USAGE);
    out[m[1]] = argv[++i];
  }
  return out;
}

/**
 * `npm run create-admin`: the first administrator of a fresh county. The directory is written through the owner's
 * connection, as the demo seed does, until the directory's own commands (issue 13, part 1) take this over; the
 * account goes through the same SignInService as `POST /accounts`, signed by the new administrator.
 */
async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  if (!a.login || !a.name) throw new Error(USAGE);
  const userId = a['user-id'] ?? `admin-${a.login}`;
  const unitId = a['unit-id'] ?? 'county-office';
  const config = loadConfig();
  await migrate(config.adminDatabaseUrl, { appPassword: process.env.DUBAN_APP_PASSWORD ?? DEFAULT_APP_PASSWORD });
  const pool = guardPool(new Pool({ connectionString: config.adminDatabaseUrl, max: 1 }), () => undefined);
  try {
    await pool.query(
      `INSERT INTO directory_units (unit_id, name, kind) VALUES ($1, $2, 'county_office') ON CONFLICT (unit_id) DO NOTHING`,
      [unitId, a['unit-name'] ?? '县巩固办'],
    );
    await pool.query(
      `INSERT INTO directory_users (user_id, name, unit_id, role, title) VALUES ($1, $2, $3, 'admin', '系统管理员')
       ON CONFLICT (user_id) DO NOTHING`,
      [userId, a.name, unitId],
    );
  } finally {
    await pool.end();
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
  try {
    const person = await app.get(DirectoryRepository).user(userId);
    if (!person || person.role !== 'admin' || !person.active) throw new Error(`${userId} is in the directory but is not an active administrator`);
    const admin: Actor = { userId: person.userId, name: person.name, unitId: person.unitId, role: 'admin' };
    const issued = await app
      .get(SignInService)
      .createAccount(admin, { userId, login: a.login, phone: a.phone ?? null }, { idempotencyKey: `create-admin:${userId}`, correlationId: 'create-admin' });
    process.stdout.write(
      `administrator ${person.name} (${userId}) can sign in as ${issued.login}${issued.phone ? ` or ${issued.phone}` : ''}\n` +
        `temporary password (shown once, to be changed at the first sign-in): ${issued.temporaryPassword}\n`,
    );
  } finally {
    await app.close();
  }
}

void main().catch((err) => {
  process.stderr.write(`create-admin failed: ${err?.message ?? err}\n`);
  process.exit(1);
});
