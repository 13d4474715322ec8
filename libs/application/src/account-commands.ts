import {
  type AccountCommand,
  type AccountEvent,
  accountStreamId,
  type Actor,
  decideAccount,
  evolveAccount,
  initialAccountState,
} from '@duban/domain';
import { type CommandRunner, type EventStore, loadAggregate, StreamVersionConflict } from '@duban/event-store';
import type { CommandMeta } from './commands';
import { commandRequest } from './commands';

/** An account command as sent: the domain's, without the metadata the service adds, for one person's account. */
export type AccountCommandRequest = AccountCommand extends infer C
  ? C extends { type: infer T; data: infer D }
    ? { type: T; userId: string; data: D }
    : never
  : never;

export interface AccountCommandResult {
  userId: string;
  version: number;
  events: string[];
  /** The `attempt` the caller passed when this result was first made: a replay answers with the first one's. */
  attempt?: string;
}

/**
 * A person's sign-in account (account-{userId}): the audit facts of creation, sign-in, failure, lockout, password
 * change and reset, and the end of a session. The credentials themselves are the caller's (hashed, in their own
 * table); what is appended here is only what an inspector may read. Sign-ins of one person may race (two devices):
 * a lost race is decided again on the fresh stream.
 */
export class AccountCommands {
  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
  ) {}

  handle(command: AccountCommandRequest, signer: Actor, meta: CommandMeta, attempt?: string): Promise<AccountCommandResult> {
    const streamId = accountStreamId(command.userId);
    const request = commandRequest(command.type, signer, meta, { userId: command.userId, data: command.data });
    return this.runner.run<AccountCommandResult>(
      request,
      async ({ now, toNewEvents }) => {
        const { state, version } = await loadAggregate<ReturnType<typeof initialAccountState>, AccountEvent>(
          this.store,
          streamId,
          evolveAccount,
          initialAccountState(),
        );
        const events = decideAccount({ type: command.type, data: command.data, metadata: { now, actor: signer } } as AccountCommand, state, command.userId);
        return {
          appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
          result: (s) => ({ userId: command.userId, version: s[0]?.toVersion ?? version, events: events.map((e) => e.type), ...(attempt ? { attempt } : {}) }),
        };
      },
      (err) => err instanceof StreamVersionConflict,
    );
  }
}
