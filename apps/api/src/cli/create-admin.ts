import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type Actor } from '@duban/domain';
import { DEFAULT_APP_PASSWORD, migrate } from '@duban/event-store';
import { AppModule } from '../app.module';
import { SignInService } from '../auth/sign-in.service';
import { loadConfig } from '../config/config';
import { DirectoryRepository } from '../directory/directory.repository';
import { DirectoryWriter } from '../directory/directory-writer';

const USAGE = `usage: npm run create-admin -- --login <login> --name <姓名> --phone <11 digits> [--user-id <id>]
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
 * `npm run create-admin`: the first administrator of a fresh county. The county office and the administrator enter the
 * directory through the directory's own commands (signed events, as every later change); the account goes through the
 * same SignInService as `POST /accounts`, signed by the new administrator.
 */
async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  if (!a.login || !a.name || !a.phone) throw new Error(USAGE);
  const userId = a['user-id'] ?? `admin-${a.login}`;
  const unitId = a['unit-id'] ?? 'county-office';
  const config = loadConfig();
  await migrate(config.adminDatabaseUrl, { appPassword: process.env.DUBAN_APP_PASSWORD ?? DEFAULT_APP_PASSWORD });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
  try {
    // The new administrator signs their own entry: there is nobody else yet. Whatever already exists (the office, or
    // this administrator from an earlier run) is refused and left out of the batch, so a second run adds nothing.
    const self: Actor = { userId, name: a.name, unitId, role: 'admin' };
    const reason = '开通首位系统管理员（npm run create-admin）';
    await app.get(DirectoryWriter).handleBatch(
      [
        { type: 'CreateUnit', data: { unitId, name: a['unit-name'] ?? '县巩固办', kind: 'county_office', parentId: null, reason } },
        {
          type: 'RegisterPerson',
          data: { personId: userId, name: a.name, phone: a.phone, title: '系统管理员', unitId, role: 'admin', reason },
        },
      ],
      self,
      { idempotencyKey: `create-admin-directory:${userId}`, correlationId: 'create-admin' },
      'CreateFirstAdministrator',
    );
    const person = await app.get(DirectoryRepository).user(userId);
    if (!person || person.role !== 'admin' || !person.active) throw new Error(`${userId} is in the directory but is not an active administrator`);
    const admin: Actor = { userId: person.userId, name: person.name, unitId: person.unitId, role: 'admin' };
    const issued = await app
      .get(SignInService)
      .createAccount(admin, { userId, login: a.login, phone: a.phone }, { idempotencyKey: `create-admin:${userId}`, correlationId: 'create-admin' });
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
