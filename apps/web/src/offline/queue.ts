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
const PHOTOS = 'photos';
let db: Promise<IDBPDatabase> | null = null;

const open = () =>
  (db ??= openDB('duban-offline', 2, {
    upgrade(d, oldVersion) {
      if (oldVersion < 1) d.createObjectStore(STORE, { keyPath: 'key' });
      if (oldVersion < 2) d.createObjectStore(PHOTOS, { keyPath: 'id' });
    },
  }));

/** A photo taken without signal: its bytes wait on the phone and the command names it `pending:<id>` until sent. */
export interface KeptPhoto {
  id: string;
  blob: Blob;
  name: string;
  type: string;
}

export const PENDING_PREFIX = 'pending:';

export async function keepPhoto(file: File): Promise<string> {
  const id = crypto.randomUUID();
  // The bytes themselves: a File's handle may not survive a reload of the page.
  const blob = new Blob([await file.arrayBuffer()], { type: file.type });
  await (await open()).put(PHOTOS, { id, blob, name: file.name, type: file.type } satisfies KeptPhoto);
  return `${PENDING_PREFIX}${id}`;
}

export async function keptPhoto(id: string): Promise<KeptPhoto | undefined> {
  return (await (await open()).get(PHOTOS, id)) as KeptPhoto | undefined;
}

export async function dropPhoto(id: string): Promise<void> {
  await (await open()).delete(PHOTOS, id);
}

export async function enqueue(cmd: QueuedCommand): Promise<void> {
  await (await open()).put(STORE, cmd);
}

export async function listQueued(): Promise<QueuedCommand[]> {
  return ((await (await open()).getAll(STORE)) as QueuedCommand[]).sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
}

export async function remove(key: string): Promise<void> {
  await (await open()).delete(STORE, key);
}
