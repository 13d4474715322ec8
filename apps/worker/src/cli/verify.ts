import { createPublicKey, KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { guardPool, resolveDatabase, SignedCheckpoint, verifyChains, verifyMerkleLog } from '@duban/event-store';
import { defaultKeyDir, DEV_KEY_FILE } from '../integrity/signing-key';

/**
 * `npm run verify` (alias `npm run verify-chains`): recompute every stream's hash chain AND the global Merkle log —
 * every leaf against its event, every signed checkpoint's root and signature — and exit 1 naming the first broken
 * event and checkpoint (0 when intact, 2 when the check itself could not run).
 *
 *   --public-key <file>   trust only this Ed25519 public key (PEM; also DUBAN_LOG_PUBLIC_KEY = PEM or path).
 *                         Default: the configured signing key's public half, else the keys recorded in the database.
 *   --checkpoint <file>   a signed checkpoint (JSON, one or an array, as /integrity/checkpoints returns them) kept
 *                         outside the system: it must verify and match the log. Repeatable.
 *   --chains-only         only the hash chains (the old verify-chains behaviour).
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // A connection lost mid-check fails the query that needed it (exit 2), never the process by an unhandled event.
  const pool = guardPool(new Pool({ connectionString: resolveDatabase().adminUrl, max: 1 }), () => undefined);
  try {
    const chains = await verifyChains(pool);
    const trusted = trustedKeys(args.publicKeys);
    const log = args.chainsOnly
      ? null
      : await verifyMerkleLog(pool, { trustedKeys: trusted?.keys, externalCheckpoints: args.checkpoints });
    const ok = chains.ok && (log?.ok ?? true);
    const firstChainBreak = chains.breaks[0] ?? null;
    process.stdout.write(
      `${JSON.stringify({ ok, trustedKey: trusted?.from ?? 'database (weak: whoever can edit the database can edit this)', chains, log }, null, 2)}\n`,
    );
    const summary = [
      firstChainBreak ? `first broken event (chain): ${firstChainBreak.eventId} — ${firstChainBreak.message}` : null,
      log?.firstBrokenEvent ? `first broken event (log): ${log.firstBrokenEvent.eventId ?? `leaf ${log.firstBrokenEvent.leafIndex}`} — ${log.firstBrokenEvent.message}` : null,
      log?.firstBrokenCheckpoint ? `first broken checkpoint: tree size ${log.firstBrokenCheckpoint.treeSize} — ${log.firstBrokenCheckpoint.message}` : null,
    ].filter(Boolean);
    process.stderr.write(
      ok
        ? `verify: OK — ${chains.streamsChecked} streams, ${chains.eventsChecked} events${log ? `, ${log.leavesChecked} log leaves, ${log.checkpointsChecked} signed checkpoints` : ''}\n`
        : `verify: BROKEN\n${summary.join('\n')}\n`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await pool.end();
  }
}

function parseArgs(argv: string[]): { publicKeys: string[]; checkpoints: SignedCheckpoint[]; chainsOnly: boolean } {
  const out = { publicKeys: [] as string[], checkpoints: [] as SignedCheckpoint[], chainsOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--chains-only') out.chainsOnly = true;
    else if (a === '--public-key') out.publicKeys.push(readFileSync(need(argv[++i], a), 'utf8'));
    else if (a === '--checkpoint') {
      const parsed = JSON.parse(readFileSync(need(argv[++i], a), 'utf8'));
      out.checkpoints.push(...(Array.isArray(parsed) ? parsed : [parsed]).map(asCheckpoint));
    } else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

function need(v: string | undefined, flag: string): string {
  if (!v) throw new Error(`${flag} needs a file`);
  return v;
}

function asCheckpoint(c: Record<string, unknown>): SignedCheckpoint {
  return {
    treeSize: Number(c.treeSize),
    rootHash: String(c.rootHash),
    timestamp: String(c.timestamp),
    keyId: String(c.keyId),
    signature: String(c.signature),
  };
}

function trustedKeys(given: string[]): { keys: KeyObject[]; from: string } | null {
  if (given.length) return { keys: given.map((k) => createPublicKey(k)), from: '--public-key' };
  const env = process.env.DUBAN_LOG_PUBLIC_KEY?.trim();
  if (env) return { keys: [createPublicKey(env.startsWith('-----BEGIN') ? env : readFileSync(env, 'utf8'))], from: 'DUBAN_LOG_PUBLIC_KEY' };
  const signing = process.env.DUBAN_LOG_SIGNING_KEY?.trim();
  if (signing) {
    return { keys: [createPublicKey(signing.startsWith('-----BEGIN') ? signing : readFileSync(signing, 'utf8'))], from: 'DUBAN_LOG_SIGNING_KEY' };
  }
  const dev = join(defaultKeyDir(), DEV_KEY_FILE);
  if (existsSync(dev)) return { keys: [createPublicKey(readFileSync(dev, 'utf8'))], from: `development key ${dev}` };
  return null;
}

void main().catch((err) => {
  process.stderr.write(`verify failed: ${err?.stack ?? err}\n`);
  process.exit(2);
});
