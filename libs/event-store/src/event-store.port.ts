/** What a command handler hands to the store; metadata says who caused it and why, never the clock of the domain. */
export interface NewEvent<TData = Record<string, unknown>> {
  eventId: string;
  type: string;
  data: TData;
  metadata: EventMetadata;
}

export interface EventMetadata {
  correlationId: string;
  causationId?: string;
  commandId?: string;
  commandType?: string;
  [key: string]: unknown;
}

export interface RecordedEvent<TData = Record<string, unknown>> {
  /** Global position; a bigint carried as a decimal string. */
  position: string;
  /** The appending transaction (xid8), decimal string. */
  transactionId: string;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  data: TData;
  metadata: EventMetadata;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

/** Compound commit-order position: events are read by (transactionId, position). */
export interface GlobalPosition {
  transactionId: string;
  position: string;
}

export const START: GlobalPosition = Object.freeze({ transactionId: '0', position: '0' });

export interface AppendToStream {
  streamId: string;
  /** 0 means "the stream must not exist yet". */
  expectedVersion: number;
  events: NewEvent[];
}

export interface AppendedStream {
  streamId: string;
  fromVersion: number;
  toVersion: number;
  eventIds: string[];
  lastHash: string;
}

export interface IdempotentRequest<TResult> {
  key: string;
  commandType: string;
  /** Hash of the request body, so a reused key with a different body is refused rather than replayed. */
  requestHash: string;
  /** Builds the stored result from what was appended; the same result is returned on every replay. */
  result: (appended: AppendedStream[]) => TResult;
}

export type AppendOutcome<TResult> =
  | { kind: 'appended'; streams: AppendedStream[]; result: TResult }
  | { kind: 'replayed'; result: TResult };

export interface ReadStreamResult<TData = Record<string, unknown>> {
  version: number;
  events: RecordedEvent<TData>[];
}

export interface ReadStreamOptions {
  /**
   * Only the events after this version, for a caller that has already folded the stream up to it (versions are never
   * removed, so the stream has at least that many). With nothing newer, the result is `{ version: afterVersion,
   * events: [] }`.
   */
  afterVersion?: number;
}

export interface EventStore {
  readStream<TData = Record<string, unknown>>(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult<TData>>;
  /** Appends to one or more streams atomically; each stream's expected version is checked. */
  append<TResult>(streams: AppendToStream[], idempotency?: IdempotentRequest<TResult>): Promise<AppendOutcome<TResult>>;
  /** A command already handled under this key, if any. */
  findProcessedCommand<TResult>(key: string): Promise<{ requestHash: string; result: TResult } | null>;
  /** Events in commit order strictly after `after`, never past an in-flight transaction. */
  readAll(after: GlobalPosition, limit: number): Promise<RecordedEvent[]>;
  /**
   * The position of the newest event committed (START when the log is empty), in-flight transactions below it
   * notwithstanding: what a reader that must miss nothing committed before now waits for, where `readAll` stops short.
   */
  head(): Promise<GlobalPosition>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

/** The server's clock, injected everywhere an instant is decided or recorded (tests pass one they control). */
export interface Clock {
  now(): Date;
}
