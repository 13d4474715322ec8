import { useSyncExternalStore } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { readSession } from '../session/session';
import { authorizedFetch } from '../api/client';
import { dropPhoto, enqueue, keptPhoto, listQueued, PENDING_PREFIX, remove, type QueuedCommand } from './queue';

let pending: QueuedCommand[] = [];
const listeners = new Set<() => void>();
const publish = (items: QueuedCommand[]) => {
  pending = items;
  listeners.forEach((l) => l());
};
const refresh = async () => publish(await listQueued());

export const usePendingCount = () =>
  useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => pending.filter((p) => !p.refusal).length,
  );
export const usePending = () =>
  useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => pending,
  );

/** What sending a captured command came to. */
export type Outcome = { sent: true; body: unknown } | { sent: false; queued: boolean; message?: string };

const pendingPhotos = (cmd: QueuedCommand): string[] =>
  (((cmd.body as { evidence?: unknown }).evidence ?? []) as string[]).filter((r) => typeof r === 'string' && r.startsWith(PENDING_PREFIX)).map((r) => r.slice(PENDING_PREFIX.length));

/**
 * Photos kept on the phone go up first (POST /evidence, keyed by the photo's id so a retry stores nothing twice) and
 * the command names their hashes. A refused upload answers in the command's stead; a lost network throws.
 */
async function withUploadedPhotos(cmd: QueuedCommand): Promise<QueuedCommand | Response> {
  const ids = pendingPhotos(cmd);
  if (!ids.length) return cmd;
  const hashes = new Map<string, string>();
  for (const id of ids) {
    const photo = await keptPhoto(id);
    if (!photo) return new Response(JSON.stringify({ message: '待同步的照片已不在本机，请重新拍摄后提交' }), { status: 400 });
    const form = new FormData();
    form.append('file', new File([photo.blob], photo.name, { type: photo.type }));
    const res = await authorizedFetch('/evidence', { method: 'POST', body: form, headers: { 'Idempotency-Key': id } });
    if (!res.ok) return res;
    hashes.set(`${PENDING_PREFIX}${id}`, ((await res.json()) as { sha256: string }).sha256);
  }
  const body = cmd.body as { evidence: string[] };
  return { ...cmd, body: { ...body, evidence: body.evidence.map((r) => hashes.get(r) ?? r) } };
}

async function send(queued: QueuedCommand): Promise<Response> {
  const cmd = await withUploadedPhotos(queued);
  if (cmd instanceof Response) return cmd;
  const res = await sendCommand(cmd);
  if (res.ok) await Promise.all(pendingPhotos(queued).map(dropPhoto));
  return res;
}

async function sendCommand(cmd: QueuedCommand): Promise<Response> {
  return authorizedFetch(cmd.path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Idempotency-Key': cmd.key,
      'X-Captured-At': cmd.capturedAt,
    },
    body: JSON.stringify(cmd.body),
  });
}

/**
 * Sends a command now, or keeps it on the phone when there is no network (or the answer was lost): it shows as
 * 待同步 and goes out with the same key when the network returns.
 */
export async function submitOrQueue(cmd: QueuedCommand): Promise<Outcome> {
  if (!navigator.onLine) {
    await enqueue(cmd);
    await refresh();
    return { sent: false, queued: true };
  }
  try {
    const res = await send(cmd);
    const body = await res.json().catch(() => ({}));
    if (res.ok) return { sent: true, body };
    if (res.status >= 500) throw new Error('server unavailable');
    return { sent: false, queued: false, message: (body as { message?: string }).message ?? `请求失败（${res.status}）` };
  } catch {
    await enqueue(cmd);
    await refresh();
    return { sent: false, queued: true };
  }
}

let flushing = false;
let retry: ReturnType<typeof setTimeout> | undefined;
/**
 * Sends what waits, oldest first; a refusal is kept with its message. A network failure (or a lost answer) stops
 * the round and tries again shortly, with the same keys.
 */
export async function flush(queries?: QueryClient): Promise<void> {
  if (flushing || !navigator.onLine || !readSession()) return;
  flushing = true;
  let interrupted = false;
  try {
    for (const cmd of await listQueued()) {
      if (cmd.refusal) continue;
      let res: Response;
      try {
        res = await send(cmd);
      } catch {
        interrupted = true;
        break;
      }
      if (res.ok) await remove(cmd.key);
      else if (res.status < 500 && res.status !== 401) {
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        await enqueue({ ...cmd, refusal: body.message ?? `请求失败（${res.status}）` });
      } else {
        interrupted = true;
        break;
      }
    }
  } finally {
    flushing = false;
    clearTimeout(retry);
    if (interrupted) retry = setTimeout(() => void flush(queries), 2_000);
    await refresh();
    await queries?.invalidateQueries();
  }
}

export function startSync(queries: QueryClient): void {
  void refresh();
  window.addEventListener('online', () => void flush(queries));
  // A phone that comes back into range without an 'online' event (or a tab reopened later) still sends.
  setInterval(() => void flush(queries), 30_000);
  void flush(queries);
}

export async function discard(key: string): Promise<void> {
  await remove(key);
  await refresh();
}
