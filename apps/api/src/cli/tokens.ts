import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AppModule } from '../app.module';
import { issueToken } from '../auth/auth';
import { loadConfig, refuseInProduction } from '../config/config';
import { DirectoryRepository } from '../directory/directory.repository';

/**
 * `npm run tokens [userId…]`: development bearer tokens for the seeded demo people. Never in production: there only
 * sign-in issues tokens (and the API refuses tokens without a session).
 */
async function main(): Promise<void> {
  refuseInProduction('npm run tokens');
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
  try {
    const wanted = process.argv.slice(2);
    const users = (await app.get(DirectoryRepository).users()).filter((u) => !wanted.length || wanted.includes(u.userId));
    const jwt = app.get(JwtService);
    const perRole = new Map<string, number>();
    for (const u of users) {
      // Without arguments, two people per role keep the list readable.
      const n = perRole.get(u.role) ?? 0;
      if (!wanted.length && n >= 2) continue;
      perRole.set(u.role, n + 1);
      process.stdout.write(`${u.role.padEnd(21)} ${u.userId.padEnd(22)} ${u.name}（${u.unitId}）\n  ${issueToken(jwt, u)}\n`);
    }
  } finally {
    await app.close();
  }
}

void main().catch((err) => {
  process.stderr.write(`tokens failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
