import {
  type Actor,
  decidePerson,
  decideUnit,
  evolvePerson,
  evolveUnit,
  initialPersonState,
  initialUnitState,
  isDomainError,
  normalisePhone,
  type PersonCommand,
  type PersonContext,
  type PersonEvent,
  type PersonState,
  personStreamId,
  type UnitCommand,
  type UnitContext,
  type UnitEvent,
  type UnitFacts,
  type UnitState,
  unitStreamId,
} from '@duban/domain';
import { type AppendToStream, type CommandRunner, type EventStore, loadAggregate, StreamVersionConflict } from '@duban/event-store';
import type { CommandMeta } from './commands';
import { commandRequest } from './commands';

type Sent<C extends { type: string; data: object }> = C extends unknown ? { type: C['type']; data: C['data'] } : never;

/** A directory command as every entry point sends it (API, roster import, demo seed); the service adds signer and clock. */
export type DirectoryCommandRequest = Sent<UnitCommand> | Sent<PersonCommand>;

/**
 * What the directory's own streams cannot say: how many active people and units a unit still has, and who holds a
 * phone number. Read from the directory projection (the API's DirectoryQuery implements it).
 */
export interface DirectoryLookup {
  activePeopleIn(unitId: string): Promise<number>;
  activeChildrenOf(unitId: string): Promise<number>;
  activeHolderOfPhone(phone: string): Promise<string | null>;
}

export interface DirectoryCommandResult {
  /** The unit's or person's id. */
  id: string;
  streamId: string;
  version: number;
  events: string[];
}

export interface DirectoryBatchResult {
  /** Streams appended, in the order of the accepted commands. */
  streams: number;
  events: number;
}

/** One command's verdict in a batch: the events it would append, or the typed refusal. */
export type DirectoryVerdict =
  | { ok: true; events: Array<UnitEvent | PersonEvent> }
  | { ok: false; code: string; field: string | null; message: string };

const isUnitCommand = (c: DirectoryCommandRequest): c is Sent<UnitCommand> =>
  c.type === 'CreateUnit' || c.type === 'RenameUnit' || c.type === 'MoveUnit' || c.type === 'AssignUnitLeader' || c.type === 'DeactivateUnit';

const streamOf = (c: DirectoryCommandRequest): string => (isUnitCommand(c) ? unitStreamId(c.data.unitId) : personStreamId(c.data.personId));

/** How far up a parent chain is followed; a county is three levels deep. */
const MAX_DEPTH = 16;

/**
 * The streams a decision reads, folded once per command (or once per batch), with what the batch itself decided so
 * far laid over them: a village created two rows below its town sees the town.
 */
class DirectoryView {
  private readonly units = new Map<string, { state: UnitState; version: number }>();
  private readonly people = new Map<string, { state: PersonState; version: number }>();
  /** Phone → person, for people registered or reactivated earlier in the batch. */
  private readonly phones = new Map<string, string>();

  constructor(
    private readonly store: EventStore,
    private readonly lookup: DirectoryLookup,
  ) {}

  async unit(unitId: string): Promise<{ state: UnitState; version: number }> {
    let u = this.units.get(unitId);
    if (!u) {
      u = await loadAggregate<UnitState, UnitEvent>(this.store, unitStreamId(unitId), evolveUnit, initialUnitState());
      this.units.set(unitId, u);
    }
    return u;
  }

  async person(personId: string): Promise<{ state: PersonState; version: number }> {
    let p = this.people.get(personId);
    if (!p) {
      p = await loadAggregate<PersonState, PersonEvent>(this.store, personStreamId(personId), evolvePerson, initialPersonState());
      this.people.set(personId, p);
    }
    return p;
  }

  async facts(unitId: string): Promise<UnitFacts | null> {
    const { state } = await this.unit(unitId);
    if (state.status === 'Empty') return null;
    const ancestorIds: string[] = [];
    let next = state.parentId;
    while (next && ancestorIds.length < MAX_DEPTH && !ancestorIds.includes(next)) {
      ancestorIds.push(next);
      const up = (await this.unit(next)).state;
      next = up.status === 'Present' ? up.parentId : null;
    }
    return { unitId, kind: state.kind, active: state.active, divisionCode: state.divisionCode, ancestorIds };
  }

  async phoneHolder(phone: unknown): Promise<string | null> {
    let normal: string;
    try {
      normal = normalisePhone(phone);
    } catch {
      return null; // the decider names the bad phone itself
    }
    return this.phones.get(normal) ?? (await this.lookup.activeHolderOfPhone(normal));
  }

  /** Lays a decided command's events over the view, so the next command of the batch sees them. */
  record(c: DirectoryCommandRequest, events: Array<UnitEvent | PersonEvent>): void {
    if (isUnitCommand(c)) {
      const u = this.units.get(c.data.unitId)!;
      this.units.set(c.data.unitId, { state: (events as UnitEvent[]).reduce(evolveUnit, u.state), version: u.version + events.length });
    } else {
      const p = this.people.get(c.data.personId)!;
      const state = (events as PersonEvent[]).reduce(evolvePerson, p.state);
      this.people.set(c.data.personId, { state, version: p.version + events.length });
      if (state.status === 'Present' && state.active) this.phones.set(state.phone, state.personId);
    }
  }

  async decide(c: DirectoryCommandRequest, signer: Actor, now: string): Promise<{ events: Array<UnitEvent | PersonEvent>; version: number }> {
    const metadata = { now, actor: signer };
    if (isUnitCommand(c)) {
      const { state, version } = await this.unit(c.data.unitId);
      const context: UnitContext = {};
      if (c.type === 'CreateUnit' || c.type === 'MoveUnit') {
        const parentId = c.data.parentId ?? null;
        if (parentId !== null) context.parent = await this.facts(parentId);
      }
      if (c.type === 'DeactivateUnit') {
        context.activePeople = await this.lookup.activePeopleIn(c.data.unitId);
        context.activeChildren = await this.lookup.activeChildrenOf(c.data.unitId);
      }
      if (c.type === 'AssignUnitLeader' && c.data.leaderUserId) {
        const p = (await this.person(c.data.leaderUserId)).state;
        context.leader = p.status === 'Present' ? { personId: p.personId, unitId: p.unitId, role: p.role, active: p.active } : null;
      }
      return { events: decideUnit({ ...c, metadata } as UnitCommand, state, context), version };
    }
    const { state, version } = await this.person(c.data.personId);
    const context: PersonContext = {};
    const unitId = c.type === 'RegisterPerson' || c.type === 'MovePerson' ? c.data.unitId : state.status === 'Present' ? state.unitId : null;
    if (typeof unitId === 'string') {
      const f = await this.facts(unitId);
      context.unit = f ? { unitId: f.unitId, kind: f.kind, active: f.active } : null;
    }
    if (c.type === 'RegisterPerson') context.phoneHolderId = await this.phoneHolder(c.data.phone);
    if (c.type === 'ReactivatePerson' && state.status === 'Present') context.phoneHolderId = await this.phoneHolder(state.phone);
    return { events: decidePerson({ ...c, metadata } as PersonCommand, state, context), version };
  }
}

/**
 * The directory's write side (单位、人员): administrators' changes over the API, the roster import and the demo seed
 * all come here. A command reads the streams it names (and, for a move, the parent chain) from the event store, the
 * few cross-stream facts from the DirectoryLookup, decides in the domain and appends through the CommandRunner.
 * Concurrent changes to the same unit or person lose the optimistic check and are decided again.
 */
export class DirectoryCommands {
  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly lookup: DirectoryLookup,
  ) {}

  handle(command: DirectoryCommandRequest, signer: Actor, meta: CommandMeta): Promise<DirectoryCommandResult> {
    const streamId = streamOf(command);
    const id = isUnitCommand(command) ? command.data.unitId : command.data.personId;
    return this.runner.run<DirectoryCommandResult>(
      commandRequest(command.type, signer, meta, command.data),
      async ({ now, toNewEvents }) => {
        const view = new DirectoryView(this.store, this.lookup);
        const { events, version } = await view.decide(command, signer, now);
        return {
          appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
          result: (s) => ({ id, streamId, version: s[0]?.toVersion ?? version, events: events.map((e) => e.type) }),
        };
      },
      (err) => err instanceof StreamVersionConflict,
    );
  }

  /**
   * Decides each command in order against the directory and what the earlier ones decided, appending nothing: the
   * roster import's dry run.
   */
  async preview(commands: readonly DirectoryCommandRequest[], signer: Actor, now: string): Promise<DirectoryVerdict[]> {
    const view = new DirectoryView(this.store, this.lookup);
    const verdicts: DirectoryVerdict[] = [];
    for (const c of commands) verdicts.push(await this.decideInto(view, c, signer, now));
    return verdicts;
  }

  /**
   * Appends every command that decides cleanly, all in one transaction under one idempotency key, or nothing; a
   * refused command is left out (the caller saw it refused in the dry run). The same key replays the first result.
   */
  handleBatch(
    commands: readonly DirectoryCommandRequest[],
    signer: Actor,
    meta: CommandMeta,
    commandType = 'ApplyDirectoryBatch',
  ): Promise<DirectoryBatchResult> {
    return this.runner.run<DirectoryBatchResult>(
      commandRequest(commandType, signer, meta, commands),
      async ({ now, toNewEvents }) => {
        const view = new DirectoryView(this.store, this.lookup);
        const byStream = new Map<string, { expectedVersion: number; events: Array<UnitEvent | PersonEvent> }>();
        for (const c of commands) {
          const streamId = streamOf(c);
          const before = isUnitCommand(c) ? (await view.unit(c.data.unitId)).version : (await view.person(c.data.personId)).version;
          const verdict = await this.decideInto(view, c, signer, now);
          if (!verdict.ok || verdict.events.length === 0) continue;
          const entry = byStream.get(streamId) ?? { expectedVersion: before, events: [] };
          entry.events.push(...verdict.events);
          byStream.set(streamId, entry);
        }
        const appends: AppendToStream[] = [...byStream].map(([streamId, s]) => ({
          streamId,
          expectedVersion: s.expectedVersion,
          events: toNewEvents(streamId, s.events),
        }));
        const total = appends.reduce((n, a) => n + a.events.length, 0);
        return { appends, result: () => ({ streams: appends.length, events: total }) };
      },
      (err) => err instanceof StreamVersionConflict,
    );
  }

  private async decideInto(view: DirectoryView, c: DirectoryCommandRequest, signer: Actor, now: string): Promise<DirectoryVerdict> {
    try {
      const { events } = await view.decide(c, signer, now);
      view.record(c, events);
      return { ok: true, events };
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return { ok: false, code: err.code, field: 'field' in err ? err.field : null, message: err.message };
    }
  }
}
