import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import {
  type ChainReport,
  EVENT_SIGNING_KEY,
  guardPool,
  type KurrentDbUrl,
  LOG_SIGNING_KEY,
  resolveDatabase,
  selectEventStore,
  SignedCheckpoint,
  trustedPublicKeys,
  verifyChains,
  verifyMerkleLog,
} from '@duban/event-store';

/**
 * `npm run verify` (alias `npm run verify-chains`): recompute every stream's hash chain AND the global Merkle log —
 * every leaf against its event, every signed checkpoint's root and signature — and exit 1 naming the first broken
 * event and checkpoint (0 when intact, 2 when the check itself could not run).
 *
 *   --public-key <file>   trust only this Ed25519 public key (PEM; also DUBAN_LOG_PUBLIC_KEY = PEM or path).
 *                         Default: the configured signing key's public half, else the keys recorded in the database.
 *   --checkpoint <file>   a signed checkpoint (JSON, one or an array, as /integrity/checkpoints returns them) kept
 *                         outside the system: it must verify and match the log. Repeatable.
 *   --event-public-key <file>  trust only this Ed25519 key for the events' server signatures (PEM; also
 *                         DUBAN_EVENT_PUBLIC_KEY). Default: the configured DUBAN_EVENT_SIGNING_KEY's public half, else
 *                         the development key. Every event appended since signing began must carry its signature:
 *                         one without (`unsigned`) or with a wrong one (`bad_signature`) was not written by Duban.
 *   --chains-only         only the hash chains and event signatures (the old verify-chains behaviour).
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // A connection lost mid-check fails the query that needed it (exit 2), never the process by an unhandled event.
  const pool = guardPool(new Pool({ connectionString: resolveDatabase().adminUrl, max: 1 }), () => undefined);
  const store = selectEventStore();
  try {
    const eventKeys = trustedPublicKeys(EVENT_SIGNING_KEY, args.eventPublicKeys);
    const chains = store.kind === 'kurrentdb' ? await verifyKurrentDb(store.url, eventKeys?.keys) : await verifyChains(pool, { publicKeys: eventKeys?.keys });
    const trusted = trustedPublicKeys(LOG_SIGNING_KEY, args.publicKeys);
    // The Merkle log's leaf check joins its leaves to PostgreSQL's events table; over KurrentDB it is not made (yet),
    // and the output says so rather than reporting every leaf's event missing.
    const log =
      args.chainsOnly || store.kind === 'kurrentdb'
        ? null
        : await verifyMerkleLog(pool, { trustedKeys: trusted?.keys, externalCheckpoints: args.checkpoints });
    if (store.kind === 'kurrentdb' && !args.chainsOnly) {
      process.stderr.write('verify: EVENT_STORE=kurrentdb — chains and event signatures checked in KurrentDB; the Merkle log check is not available over KurrentDB\n');
    }
    const ok = chains.ok && (log?.ok ?? true);
    const firstChainBreak = chains.breaks[0] ?? null;
    process.stdout.write(
      `${JSON.stringify(
        {
          ok,
          trustedKey: trusted?.from ?? 'database (weak: whoever can edit the database can edit this)',
          trustedEventKey: eventKeys?.from ?? 'none: event signatures not checked',
          chains,
          log,
        },
        null,
        2,
      )}\n`,
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

/** The chains of every stream in the KurrentDB log (its `$all`, filtered as the subscriptions read it). */
async function verifyKurrentDb(url: KurrentDbUrl, publicKeys: ReadonlyArray<KeyObject> | undefined): Promise<ChainReport> {
  const { KurrentDbEventStore, verifyKurrentDbChains } = await import('@duban/event-store/kurrentdb');
  const store = KurrentDbEventStore.connect(url, { now: () => new Date() });
  try {
    return await verifyKurrentDbChains(store.scanLog(), { publicKeys });
  } finally {
    await store.dispose();
  }
}

function parseArgs(argv: string[]): { publicKeys: string[]; eventPublicKeys: string[]; checkpoints: SignedCheckpoint[]; chainsOnly: boolean } {
  const out = { publicKeys: [] as string[], eventPublicKeys: [] as string[], checkpoints: [] as SignedCheckpoint[], chainsOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--chains-only') out.chainsOnly = true;
    else if (a === '--public-key') out.publicKeys.push(readFileSync(need(argv[++i], a), 'utf8'));
    else if (a === '--event-public-key') out.eventPublicKeys.push(readFileSync(need(argv[++i], a), 'utf8'));
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

void main().catch((err) => {
  process.stderr.write(`verify failed: ${err?.stack ?? err}\n`);
  process.exit(2);
});
