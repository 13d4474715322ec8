import { v5 as uuidv5 } from 'uuid';
import { canonicalize } from './canonical-json';
import { IdempotencyKeyReused } from './errors';
import type { AppendedStream, AppendToStream, Clock, EventStore, NewEvent } from './event-store.port';
import { sha256Hex } from './hash-chain';

/** Who signs a command, as far as the write path cares; the domain's Actor fits. */
export interface CommandSigner {
  userId: string;
}

/** The clock a command is decided by: the port's Clock (the name stays for callers). */
export type CommandClock = Clock;

/** Event ids derive from the signer's idempotency key, so a retried command can never append twice. */
const EVENT_ID_NAMESPACE = '6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11';

export interface CommandRequest {
  commandType: string;
  actor: CommandSigner;
  idempotencyKey: string;
  /**
   * The instant the command is decided at. Absent for people (the server's clock); a timer passes the instant it
   * was due, so a retried or late activity decides — and hashes — exactly the same facts.
   */
  at?: string;
  correlationId: string;
  /**
   * The client's capture time, when the person captured the command offline and sent it later: metadata only, so
   * the domain decides at the server's time and recorded histories replay unchanged.
   */
  capturedAt?: string;
  /** Everything that makes the request what it is; a reused key with a different one is refused. */
  body: unknown;
}

export interface Decision<R> {
  appends: AppendToStream[];
  result: (appended: AppendedStream[]) => R;
}

export interface DecisionTools {
  /** The server's clock, read once per attempt: every event of the command carries the same `at`. */
  now: string;
  toNewEvents(streamId: string, events: ReadonlyArray<{ type: string; data: object }>): NewEvent[];
}

/**
 * The one write path, for people (API) and timers (worker) alike: replay check, decide on fresh state, atomic append
 * with the idempotency record. `retryable` names conflicts worth deciding again (e.g. a lost race for the campaign's
 * next notice number). A decision with no events appends nothing and records nothing: there was no fact to keep.
 */
export class CommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly clock: CommandClock,
  ) {}

  async run<R>(
    req: CommandRequest,
    decide: (tools: DecisionTools) => Promise<Decision<R>>,
    retryable: (err: unknown) => boolean = () => false,
    maxAttempts = 12,
  ): Promise<R> {
    // Keys are per signer: two people never collide, and only the same person can replay a command.
    const key = `${req.actor.userId}:${req.idempotencyKey}`;
    const requestHash = sha256Hex(canonicalize({ type: req.commandType, body: req.body }));
    const previous = await this.store.findProcessedCommand<R>(key);
    if (previous) {
      if (previous.requestHash !== requestHash) throw new IdempotencyKeyReused(req.idempotencyKey);
      return previous.result;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const tools: DecisionTools = {
          now: req.at ?? this.clock.now().toISOString(),
          toNewEvents: (streamId, events) =>
            events.map((e, i) => ({
              eventId: uuidv5(`${key}/${streamId}/${i}`, EVENT_ID_NAMESPACE),
              type: e.type,
              data: e.data as Record<string, unknown>,
              metadata: {
                correlationId: req.correlationId,
                causationId: key,
                commandId: key,
                commandType: req.commandType,
                ...(req.capturedAt ? { capturedAt: req.capturedAt } : {}),
              },
            })),
        };
        const decision = await decide(tools);
        if (decision.appends.every((a) => a.events.length === 0)) return decision.result([]);
        const outcome = await this.store.append(decision.appends, {
          key,
          commandType: req.commandType,
          requestHash,
          result: decision.result,
        });
        return outcome.result;
      } catch (err) {
        // A concurrent delivery of the same command may have committed while we decided (we then saw its effect
        // and refused, or lost the append): the caller gets that first result, not an error.
        const first = await this.store.findProcessedCommand<R>(key);
        if (first) {
          if (first.requestHash !== requestHash) throw new IdempotencyKeyReused(req.idempotencyKey);
          return first.result;
        }
        if (!retryable(err) || attempt >= maxAttempts) throw err;
        // Jittered backoff so that contenders for the same stream stop colliding in lockstep.
        await new Promise((resolve) => setTimeout(resolve, attempt * (2 + Math.random() * 8)));
      }
    }
  }
}
