/**
 * Mutual exclusion for a decision that must not race: read, decide and append one at a time per key. Used where a
 * lost race could only be answered by deciding again — a campaign's gapless dispatch notice numbers — so contenders
 * queue for a few milliseconds instead of colliding and retrying.
 */
export interface StreamLocks {
  withLock<T>(key: string, run: () => Promise<T>): Promise<T>;
}

export const STREAM_LOCKS = Symbol('STREAM_LOCKS');

/**
 * In-process exclusion per key: callers of one key run one after another, in arrival order; keys are independent.
 * A failure of one caller does not stop the next. Entries are dropped once nobody waits on a key.
 */
export class KeyedMutex implements StreamLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  withLock<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(run, run);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
