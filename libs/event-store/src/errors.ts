/** Someone else appended to the stream first: the caller decided on stale state. */
export class StreamVersionConflict extends Error {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | null,
  ) {
    super(
      `版本冲突：${streamId} 期望版本 ${expectedVersion}，实际版本 ${actualVersion ?? '（并发写入）'} (VERSION_CONFLICT)`,
    );
    this.name = 'StreamVersionConflict';
  }
}

/** The same idempotency key was used for a different request: replaying it would hide a mistake. */
export class IdempotencyKeyReused extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly idempotencyKey: string) {
    super(`幂等键已用于另一个请求：${idempotencyKey} (IDEMPOTENCY_KEY_REUSED)`);
    this.name = 'IdempotencyKeyReused';
  }
}
