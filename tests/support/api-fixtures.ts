import type { TimerKind } from '@duban/domain';
import { createWriteSide } from '@duban/application';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import type { ApiHarness } from './api-harness';

/** The demo county's campaign, seeded by startApi. */
export const DEMO_CAMPAIGN = 'campaign-2026-q4';

/** Fresh idempotency keys per test file: every command needs one, and a reused one is a 409. */
export const idempotencyKeys = (prefix: string) => {
  let n = 0;
  return (): string => `${prefix}-key-${++n}-${Date.now()}`;
};

/** A valid RecordFinding body (a C-grade house in town-01); tests override what they are about. */
export const findingBody = (over: Record<string, unknown> = {}) => ({
  campaignId: DEMO_CAMPAIGN,
  source: 'household_inspection',
  categoryCode: '2.3',
  severity: 'red',
  townUnitId: 'town-01',
  village: '张庄村',
  household: '张某某',
  description: '脱贫户张某某住房为C级危房，未纳入改造',
  evidence: [],
  ...over,
});

/**
 * Fires a finding's timer as its workflow does (the workflow itself is tested in workflows/): the worker's timer
 * service plans from the stream and sends the system command through the write path at the timer's instant.
 * With `moveClock` the API's clock moves to that instant too, as the real one would have.
 */
export async function fireTimer(
  h: ApiHarness,
  findingId: string,
  kind: TimerKind,
  options: { moveClock?: boolean } = {},
): Promise<string[]> {
  const store = h.app.get<EventStore>(EVENT_STORE);
  const timers = createWriteSide({ store, clock: h.clock }).timers;
  const timer = (await timers.plan(findingId)).timers.find((t) => t.kind === kind);
  if (!timer) throw new Error(`no ${kind} timer planned for ${findingId}`);
  if (options.moveClock) h.clock.set(timer.dueAt);
  return (await timers.fire(findingId, timer, `test:${timer.key}`)).appended;
}

let evidenceSeed = 0;

/** A small PNG, different bytes per call unless `seed` repeats (evidence is stored by content hash). */
export async function pngBytes(seed = ++evidenceSeed, edge = 8): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width: edge, height: edge, channels: 3, background: { r: seed % 256, g: (seed >> 8) % 256, b: 77 } } })
    .png()
    .toBuffer();
}

/** Uploads a photo as `userId` (POST /evidence) and returns its SHA-256, the reference commands carry. */
export async function uploadEvidence(h: ApiHarness, userId: string, name = '现场照片.png', bytes?: Buffer): Promise<string> {
  const res = await h
    .http()
    .post('/evidence')
    .set('Authorization', `Bearer ${h.token(userId)}`)
    .attach('file', bytes ?? (await pngBytes()), { filename: name, contentType: 'image/png' });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.sha256;
}
