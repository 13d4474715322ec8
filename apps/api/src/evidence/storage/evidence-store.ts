import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';

/** Where evidence bytes live, addressed by their SHA-256: a folder by default, an S3-compatible bucket when configured. */
export interface EvidenceStore {
  /** Stores the bytes under their hash; storing bytes already there is a no-op. */
  put(sha256: string, bytes: Buffer, type: string): Promise<void>;
  /** The bytes, or null when nothing is stored under the hash. */
  get(sha256: string): Promise<Buffer | null>;
}

export const EVIDENCE_STORE = Symbol('EVIDENCE_STORE');

const SHA256 = /^[0-9a-f]{64}$/;

/** `<dir>/ab/cd/abcd…`: two fan-out levels keep any one folder small. */
export class LocalEvidenceStore implements EvidenceStore {
  constructor(private readonly dir: string) {}

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(sha256);
    if (await stat(path).then(() => true, () => false)) return;
    await mkdir(dirname(path), { recursive: true });
    // Written aside and renamed: a crash or a concurrent upload of the same bytes never leaves half a file in place.
    const tmp = `${path}.${randomUUID()}.part`;
    await writeFile(tmp, bytes, { mode: 0o600 });
    await rename(tmp, path);
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
