/**
 * The newest (version, hash) this process has seen of each stream, so an append can chain its events onto the head
 * without reading it first. An entry can be behind the stream but never wrong: events are immutable, so the hash at a
 * version never changes, and the append function checks the version and the hash it chained onto before writing.
 * Bounded: the oldest-touched streams are forgotten first (an append then reads the head, one more round trip).
 */
export class StreamHeads {
  private readonly heads = new Map<string, { version: number; hash: string }>();

  constructor(private readonly capacity = 20_000) {}

  /** The hash at `version` of the stream, when that is the newest version seen. */
  hashAt(streamId: string, version: number): string | undefined {
    const head = this.heads.get(streamId);
    return head && head.version === version ? head.hash : undefined;
  }

  saw(streamId: string, version: number, hash: string): void {
    const known = this.heads.get(streamId);
    if (known && known.version > version) return;
    this.heads.delete(streamId);
    this.heads.set(streamId, { version, hash });
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value as string);
  }

  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}
