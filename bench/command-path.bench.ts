import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createWriteSide, type FindingCommandRequest, type WriteSide } from '@duban/application';
import { type Actor, campaignStreamId, findingStreamId, formatNoticeNo } from '@duban/domain';
import { actors, testCampaign } from '@duban/domain/testing/fixtures';
import { type EventStore, type NewEvent, PostgresAdvisoryLocks, PostgresEventStore, type StreamLocks, StreamVersionConflict } from '@duban/event-store';
import { recordedPayload } from './event-store-appends';
import { QUICK, recordData, sh } from './event-store-support';
import { type BenchServer, EVERY_UNIT, forEachConcurrently, interleaved, measure, newPool, type Row, say } from './support';

/**
 * The full command path as the API calls it (createWriteSide → FindingCommands.handle: replay check, the finding's
 * stream, the campaign's context or state, the directory, the append), beside campaigns of different sizes. A
 * campaign's size is its stream: one DispatchNoticeIssued per dispatch (seeded in big batches, not command by command),
 * beside one recorded finding per notice. Per-command cost should not move with it (issue 15, item 1).
 */
const SIZES = QUICK ? [100, 500, 2000] : [100, 2000, 20000];
const PROGRESS_OPS = QUICK ? 60 : 600;
const DISPATCH_OPS = QUICK ? 40 : 300;
const CONCURRENT_DISPATCHES = QUICK ? 80 : 400;
const OWNED = 32;
const SEED_BATCH = 1000;

/** Decisions at a fixed instant inside the campaign's rectification phase; the store records the real time. */
const decidedAt = { now: () => new Date(sh('2026-10-13 10:00')) };
const meta = () => ({ idempotencyKey: randomUUID(), correlationId: randomUUID() });

interface Campaign {
  id: string;
  owned: string[];
  /** Recorded, not yet dispatched: one per dispatch the bench will make. */
  recorded: string[];
}

export async function runCommandPathBench(server: BenchServer): Promise<Row[]> {
  const { appUrl } = await server.database('duban_bench_commands');
  const pool = newPool(appUrl, 12);
  const lockPool = newPool(appUrl, 4);
  const store = new PostgresEventStore(pool, { now: () => new Date() });
  const write = createWriteSide({ store, clock: decidedAt, units: EVERY_UNIT });

  const campaigns: Campaign[] = [];
  for (const size of SIZES) {
    const t0 = Date.now();
    campaigns.push(await seedCampaign(write, store, pool, `cmd-${size}`, size));
    say(`  campaign of ${size} findings seeded (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  }

  const out: Row[] = [];
  const byCampaign = <T>(make: (c: Campaign) => (i: number) => Promise<T>) =>
    Object.fromEntries(campaigns.map((c, k) => [String(SIZES[k]), async (i: number) => void (await make(c)(i))]));
  const sizeRows = (bench: string, results: Record<string, { ops: number; seconds: number; latencies: number[] }>) => {
    const base: Row = { bench, variant: `beside ${SIZES[0]} findings (baseline)`, unit: 'commands', m: results[String(SIZES[0])] };
    out.push(base);
    for (const size of SIZES.slice(1)) {
      out.push({ bench, variant: `beside ${size.toLocaleString('en-US')} findings`, unit: 'commands', m: results[String(size)], baseline: base });
    }
  };

  say('  8a. progress reports (ReportProgress by the owner), sequential…\n');
  const progress = (c: Campaign) => (i: number) =>
    write.findings.handle(
      { type: 'ReportProgress', findingId: c.owned[i % OWNED], data: { summary: `第${i}次进展`, percent: i % 100, evidence: ['p-1'] } } as FindingCommandRequest,
      actors.officialA,
      meta(),
    );
  await measure(20, 1, byCampaign(progress)[String(SIZES[0])]);
  sizeRows('8 command path: progress report, 1 client', await interleaved(byCampaign(progress), PROGRESS_OPS, 1));

  say('  8b. dispatches (DispatchFinding, next notice number), sequential…\n');
  let dispatched = 0;
  const dispatch = (c: Campaign) => async () => {
    const findingId = c.recorded.pop();
    if (!findingId) throw new Error(`campaign ${c.id} ran out of recorded findings`);
    dispatched++;
    return write.findings.handle({ type: 'DispatchFinding', findingId, data: { unitId: 'town-a' } } as FindingCommandRequest, actors.supervisor, meta());
  };
  sizeRows('8 command path: dispatch, 1 client', await interleaved(byCampaign(dispatch), DISPATCH_OPS, 1));

  say(`  8c. ${8} concurrent dispatchers in one campaign of ${SIZES[1]} findings…\n`);
  const c = campaigns[1];
  const concurrent = async (locks?: StreamLocks) => {
    const counting = countingConflicts(store);
    const side = createWriteSide({ store: counting.store, clock: decidedAt, units: EVERY_UNIT, locks });
    const run = async () =>
      side.findings.handle({ type: 'DispatchFinding', findingId: c.recorded.pop()!, data: { unitId: 'town-a' } } as FindingCommandRequest, actors.supervisor, meta());
    return { counting, m: await measureConflicts(run, counting) };
  };
  const inProcess = await concurrent();
  const advisory = await concurrent(new PostgresAdvisoryLocks(lockPool));
  const seqBase = out[out.length - SIZES.length + 1];
  const notes = (n: { counting: { conflicts: number } }) => `${n.counting.conflicts} VERSION_CONFLICT retries`;
  out.push(
    { bench: '8 command path: dispatch, 8 clients', variant: 'in-process notice lock (a single writer)', unit: 'commands', m: inProcess.m, baseline: seqBase, note: notes(inProcess) },
    { bench: '8 command path: dispatch, 8 clients', variant: 'PostgreSQL advisory notice lock (as the API)', unit: 'commands', m: advisory.m, baseline: seqBase, note: notes(advisory) },
  );
  await checkGapless(store, c.id);
  say(`  ${dispatched} sequential dispatches; notice numbers of ${c.id} gapless\n`);
  await pool.end();
  await lockPool.end();
  return out;
}

async function measureConflicts(run: () => Promise<unknown>, counting: { conflicts: number }) {
  await measure(16, 8, async () => void (await run()));
  counting.conflicts = 0;
  return measure(CONCURRENT_DISPATCHES, 8, async () => void (await run()));
}

/** The store as the write side sees it, counting the appends refused for a stale version (each one a retry). */
function countingConflicts(store: EventStore): { store: EventStore; conflicts: number } {
  const counter = { store, conflicts: 0 };
  counter.store = Object.assign(Object.create(store) as EventStore, {
    append: async (...args: Parameters<EventStore['append']>) => {
      try {
        return await store.append(...args);
      } catch (err) {
        if (err instanceof StreamVersionConflict) counter.conflicts++;
        throw err;
      }
    },
  });
  return counter;
}

/**
 * A campaign created through the write side, then `size` findings: each a FindingRecorded on its own stream and a
 * DispatchNoticeIssued on the campaign's, appended in batches of SEED_BATCH events (as if dispatched one by one, the
 * notice sequence continuing). Then OWNED findings dispatched and claimed by officialA through the write side (the
 * progress reports' subjects) and enough recorded ones for the dispatches.
 */
async function seedCampaign(write: WriteSide, store: EventStore, pool: Pool, campaignId: string, size: number): Promise<Campaign> {
  const created = await write.campaigns.handle(
    { type: 'CreateCampaign', data: { ...testCampaign, campaignId, policy: undefined } },
    actors.admin,
    { ...meta(), at: sh('2026-09-01 09:00') },
  );
  const signed = { signedBy: actors.supervisor as Actor, at: new Date(sh('2026-10-12 15:00')).toISOString() };
  const recorded = recordedEvent(campaignId);
  let version = created.version;
  for (let from = 0; from < size; from += SEED_BATCH / 2) {
    const n = Math.min(SEED_BATCH / 2, size - from);
    const ids = Array.from({ length: n }, (_, k) => `${campaignId}-seed-${from + k}`);
    const notices: NewEvent[] = ids.map((findingId, k) => ({
      eventId: randomUUID(),
      type: 'DispatchNoticeIssued',
      data: { campaignId, noticeNo: formatNoticeNo(testCampaign.noticePrefix, 2026, from + k + 1), sequence: from + k + 1, year: 2026, findingIds: [findingId], ...signed },
      metadata: { correlationId: randomUUID(), commandType: 'DispatchFinding' },
    }));
    await store.append([
      { streamId: campaignStreamId(campaignId), expectedVersion: version, events: notices },
      ...ids.map((findingId) => ({ streamId: findingStreamId(findingId), expectedVersion: 0, events: [recorded(findingId)] })),
    ]);
    version += n;
  }
  const drive = async (findingId: string, type: string, data: Record<string, unknown>, actor: Actor) =>
    write.findings.handle({ type, findingId, data } as FindingCommandRequest, actor, meta());
  const owned = Array.from({ length: OWNED }, (_, i) => `${campaignId}-owned-${i}`);
  const dispatches = DISPATCH_OPS + (size === SIZES[1] ? CONCURRENT_DISPATCHES * 2 + 32 : 0);
  const toDispatch = Array.from({ length: dispatches }, (_, i) => `${campaignId}-new-${i}`);
  await forEachConcurrently(owned.length + toDispatch.length, 8, async (i) => {
    const findingId = i < owned.length ? owned[i] : toDispatch[i - owned.length];
    await drive(findingId, 'RecordFinding', { ...recordData(findingId), campaignId }, actors.inspector);
    if (i >= owned.length) return;
    await drive(findingId, 'DispatchFinding', { unitId: 'town-a' }, actors.supervisor);
    await drive(findingId, 'ClaimFinding', {}, actors.officialA);
  });
  await pool.query('ANALYZE events');
  return { id: campaignId, owned, recorded: toDispatch };
}

/** A FindingRecorded for any finding of the campaign: the append bench's decided payload, its ids replaced. */
function recordedEvent(campaignId: string): (findingId: string) => NewEvent {
  const decided = recordedPayload();
  return (findingId) => ({
    eventId: randomUUID(),
    type: decided.type,
    data: { ...decided.data, findingId, campaignId },
    metadata: { correlationId: randomUUID(), commandType: 'RecordFinding' },
  });
}

async function checkGapless(store: EventStore, campaignId: string): Promise<void> {
  const { events } = await store.readStream<{ sequence?: number }>(campaignStreamId(campaignId));
  const sequences = events.filter((e) => e.type === 'DispatchNoticeIssued').map((e) => e.data.sequence);
  sequences.forEach((s, i) => {
    if (s !== i + 1) throw new Error(`notice sequence ${s} at ${i + 1}: not gapless`);
  });
}
