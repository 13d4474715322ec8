import { openDB, type IDBPDatabase } from 'idb';

/** A command captured without signal: sent later with the same key, so a replay after a lost answer appends nothing. */
export interface QueuedCommand {
  /** The Idempotency-Key, chosen when the person pressed the button. */
  key: string;
  path: string;
  body: unknown;
  /** When it was captured on the phone; the API keeps it beside its own time (X-Captured-At). */
  capturedAt: string;
  /** What the person sees in the 待同步 list. */
  label: string;
  /** A refusal the API gave when it was finally sent (it stays listed so nothing is silently dropped). */
  refusal?: string;
}

const STORE = 'outbox';
let db: Promise<IDBPDatabase> | null = null;

const open = () =>
  (db ??= openDB('duban-offline', 1, {
    upgrade(d) {
      d.createObjectStore(STORE, { keyPath: 'key' });
    },
  }));

export async function enqueue(cmd: QueuedCommand): Promise<void> {
  await (await open()).put(STORE, cmd);
}

export async function listQueued(): Promise<QueuedCommand[]> {
  return ((await (await open()).getAll(STORE)) as QueuedCommand[]).sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
}

export async function remove(key: string): Promise<void> {
  await (await open()).delete(STORE, key);
}
