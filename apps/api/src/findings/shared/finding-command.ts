import type { Actor } from '@duban/domain';

/** What every finding controller puts on the command bus: one envelope, one handler, one decide/append path. */
export class ExecuteFindingCommand {
  constructor(
    readonly findingId: string,
    readonly type: string,
    readonly data: Record<string, unknown>,
    readonly actor: Actor,
    readonly idempotencyKey: string,
    readonly correlationId: string,
    readonly expectedVersion?: number,
  ) {}
}

export interface FindingCommandResult {
  findingId: string;
  /** The finding stream's version after the command: read models reflect it once they reach it. */
  version: number;
  events: string[];
  noticeNo?: string;
}
