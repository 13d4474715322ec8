import { v5 as uuidv5 } from 'uuid';
import {
  type Actor,
  checklistItem,
  decideLaunch,
  findingDecider,
  type FindingEvent,
  type FindingState,
  findingStreamId,
  InvalidInputError,
  InvalidStateError,
  type LaunchPropagation,
  type PropagationEvent,
  type PropagationOrigin,
  type PropagationScope,
  type PropagationState,
  propagationStreamId,
  evolvePropagation,
  initialPropagationState,
  type SelfCheckCommand,
  selfCheckDecider,
  type SelfCheckEvent,
  type SelfCheckState,
  selfCheckStreamId,
  type Severity,
} from '@duban/domain';
import { type AppendToStream, type CommandRunner, type EventStore, KeyedMutex, loadAggregate, StreamVersionConflict } from '@duban/event-store';
import type { CampaignContexts } from './campaign-contexts';
import { type CommandMeta, commandRequest } from './commands';
import type { FindingCommands } from './finding-commands';
import type { UnitDirectory } from './reference-checks';

/** A problem a unit found in its self-check, as its official describes it; recorded as a finding linked to the origin. */
export interface FoundProblem {
  categoryCode: string;
  severity: Severity;
  /** The town the problem is in; absent for a town's own self-check, that town. A department names it. */
  townUnitId?: string;
  village?: string;
  household?: string;
  description: string;
  evidence?: string[];
}

/** 举一反三's commands as every entry point sends them. */
export type PropagationCommandRequest =
  | {
      type: 'LaunchPropagation';
      data: Omit<LaunchPropagation['data'], 'unitIds'> & { unitIds?: string[] };
    }
  | { type: 'ClaimSelfCheck'; propagationId: string; unitId: string; data: Record<string, never> }
  | {
      type: 'AttestSelfCheck';
      propagationId: string;
      unitId: string;
      data:
        | { outcome: 'none_found'; checked: string; evidence: string[] }
        | { outcome: 'found'; checked: string; evidence: string[]; problems: FoundProblem[] };
    }
  /** The task's deadline timer (system; `meta.at` is the instant it was due). */
  | { type: 'MarkSelfCheckOverdue'; propagationId: string; unitId: string; data: Record<string, never> }
  /** 确认约谈/问责: a supervisor signs that a proposed rung goes ahead. */
  | { type: 'AcknowledgeSelfCheckEscalation'; propagationId: string; unitId: string; data: { level: 'interview' | 'accountability'; note?: string } }
  /** A rung of the ladder after the notice (system; `meta.at` is the instant it was due). */
  | { type: 'EscalateSelfCheck'; propagationId: string; unitId: string; data: { level: 'interview' | 'accountability' } };

export interface PropagationCommandResult {
  propagationId: string;
  /** The task's unit, for a claim or an attestation. */
  unitId?: string;
  /** The units asked, for a launch (resolved from the scope). */
  unitIds?: string[];
  /** The stream's version after the command (the propagation's for a launch, the unit task's otherwise). */
  version: number;
  events: string[];
  /** The findings the unit found, recorded and dispatched to it, for a "found n" attestation. */
  findings?: Array<{ findingId: string; noticeNo: string | null }>;
}

/** The directory's active units of a kind, to resolve "all towns" and "all departments". */
export interface UnitRoster {
  activeUnitIds(kind: 'town' | 'department'): Promise<string[]>;
}

/** A self-found finding's id derives from the signer, the attestation's key and its place in the list: a retry names the same findings. */
const SELF_FOUND_NAMESPACE = '0c7f6a8e-3b1d-4e25-9f47-5d2a8c6b1e90';
const SCOPE_KINDS: Record<Exclude<PropagationScope, 'chosen'>, 'town' | 'department'> = { all_towns: 'town', all_departments: 'department' };
const ASKABLE = ['town', 'department'];

/**
 * 举一反三's write side. The launch appends the propagation and every unit's task in one atomic write; a claim or an
 * attestation touches one unit's task stream. "Found n" records and dispatches each problem through FindingCommands
 * (the one finding write path) under keys derived from the attestation's, then signs the attestation naming them:
 * a retry of the same request finishes what a crash left half done, and never records a problem twice.
 */
export class PropagationCommands {
  private readonly perTask = new KeyedMutex();

  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly campaigns: CampaignContexts,
    private readonly findings: FindingCommands,
    private readonly units: UnitDirectory,
    private readonly roster: UnitRoster,
  ) {}

  handle(command: PropagationCommandRequest, signer: Actor, meta: CommandMeta): Promise<PropagationCommandResult> {
    switch (command.type) {
      case 'LaunchPropagation':
        return this.launch(command, signer, meta);
      case 'ClaimSelfCheck':
      case 'MarkSelfCheckOverdue':
      case 'EscalateSelfCheck':
      case 'AcknowledgeSelfCheckEscalation':
      case 'AttestSelfCheck': {
        const streamId = selfCheckStreamId(command.propagationId, command.unitId);
        return this.perTask.withLock(streamId, () => (command.type === 'AttestSelfCheck' ? this.attest(command, signer, meta) : this.simple(command, signer, meta)));
      }
      default: {
        const unknown: never = command;
        throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${(unknown as { type: string }).type}`);
      }
    }
  }

  /** The id a launch gets from its signer and key: a retried launch names the same propagation. */
  static propagationIdFor(signer: Actor, idempotencyKey: string): string {
    return uuidv5(`${signer.userId}:${idempotencyKey}`, SELF_FOUND_NAMESPACE);
  }

  private launch(command: Extract<PropagationCommandRequest, { type: 'LaunchPropagation' }>, signer: Actor, meta: CommandMeta): Promise<PropagationCommandResult> {
    const d = command.data;
    const body = { ...d, unitIds: d.unitIds ?? null };
    return this.runner.run<PropagationCommandResult>(commandRequest(command.type, signer, meta, body), async ({ now, toNewEvents }) => {
      const ctx = await this.campaigns.requireContext(d.campaignId);
      const campaign = await this.campaigns.active(d.campaignId);
      const unitIds = await this.resolveUnits(d.scope, d.unitIds);
      const streamId = propagationStreamId(d.propagationId);
      const stream = await loadAggregate<PropagationState, PropagationEvent>(this.store, streamId, evolvePropagation, initialPropagationState());
      const decision = decideLaunch({ type: 'LaunchPropagation', data: { ...d, unitIds }, metadata: { now, actor: signer } }, stream.state, ctx);
      if (campaign.state.lifecycle === 'ended') throw new InvalidStateError('CAMPAIGN_ENDED', '专项行动已结束，不能再发起举一反三');
      if (d.scope === 'chosen') await this.checkUnits(unitIds);
      await this.checkOrigin(d.origin, d.campaignId);
      const appends: AppendToStream[] = [
        { streamId, expectedVersion: stream.version, events: toNewEvents(streamId, decision.propagation) },
        ...decision.tasks.map((t) => {
          const taskStream = selfCheckStreamId(d.propagationId, t.unitId);
          return { streamId: taskStream, expectedVersion: 0, events: toNewEvents(taskStream, t.events) };
        }),
      ];
      return {
        appends,
        result: (streams) => ({
          propagationId: d.propagationId,
          unitIds,
          version: streams[0].toVersion,
          events: decision.propagation.map((e) => e.type),
        }),
      };
    });
  }

  /** A claim, or a timer: the deadline or a rung of the ladder (decided at the instant it was due, part of the request). */
  private simple(
    command: Extract<PropagationCommandRequest, { type: 'ClaimSelfCheck' | 'MarkSelfCheckOverdue' | 'EscalateSelfCheck' | 'AcknowledgeSelfCheckEscalation' }>,
    signer: Actor,
    meta: CommandMeta,
  ): Promise<PropagationCommandResult> {
    const { propagationId, unitId } = command;
    const streamId = selfCheckStreamId(propagationId, unitId);
    const at = meta.at !== undefined ? { dueAt: meta.at } : {};
    const body =
      command.type === 'EscalateSelfCheck' || command.type === 'AcknowledgeSelfCheckEscalation'
        ? { propagationId, unitId, ...command.data, ...at }
        : { propagationId, unitId, ...at };
    return this.runner.run<PropagationCommandResult>(
      commandRequest(command.type, signer, meta, body),
      async ({ now, toNewEvents }) => {
        const task = await this.loadTask(streamId);
        const metadata = { now, actor: signer };
        // The ladder counts in the campaign's workdays and follows its rules; a claim needs neither.
        const timer = command.type === 'MarkSelfCheckOverdue' || command.type === 'EscalateSelfCheck';
        const ctx = timer && task.state.status !== 'Empty' ? await this.campaigns.requireContext(task.state.campaignId) : undefined;
        const decided: SelfCheckCommand =
          command.type === 'EscalateSelfCheck' || command.type === 'AcknowledgeSelfCheckEscalation'
            ? ({ type: command.type, data: command.data, metadata } as SelfCheckCommand)
            : { type: command.type, data: {}, metadata };
        const events = selfCheckDecider.decide(decided, task.state, ctx);
        return this.taskDecision(streamId, task.version, events, toNewEvents, propagationId, unitId);
      },
      // Another official claimed (or attested) first: decided again, the claim is then refused as taken, the timer moot.
      (err) => err instanceof StreamVersionConflict,
    );
  }

  private attest(command: Extract<PropagationCommandRequest, { type: 'AttestSelfCheck' }>, signer: Actor, meta: CommandMeta): Promise<PropagationCommandResult> {
    const { propagationId, unitId, data } = command;
    const streamId = selfCheckStreamId(propagationId, unitId);
    return this.runner.run<PropagationCommandResult>(
      commandRequest(command.type, signer, meta, { propagationId, unitId, data }),
      async ({ now, toNewEvents }) => {
        const task = await this.loadTask(streamId);
        const metadata = { now, actor: signer };
        if (data.outcome !== 'found') {
          const events = selfCheckDecider.decide({ type: 'AttestSelfCheck', data, metadata }, task.state);
          return this.taskDecision(streamId, task.version, events, toNewEvents, propagationId, unitId);
        }
        const problems = Array.isArray(data.problems) ? data.problems : [];
        if (problems.length === 0) throw new InvalidInputError('LIST_TOO_SHORT', 'problems', '自查发现问题时至少列出一个问题');
        const findingIds = problems.map((_, i) => uuidv5(`${signer.userId}:${meta.idempotencyKey}:${i}`, SELF_FOUND_NAMESPACE));
        const attestation: SelfCheckCommand = {
          type: 'AttestSelfCheck',
          data: { outcome: 'found', checked: data.checked, evidence: data.evidence, findingIds },
          metadata,
        };
        // Decided before any finding is recorded: a refused attestation records nothing.
        selfCheckDecider.decide(attestation, task.state);
        const open = task.state as Extract<SelfCheckState, { campaignId: string }>;
        const recorded = await this.recordFound(open, problems, findingIds, signer, meta);
        const events = selfCheckDecider.decide(attestation, task.state);
        const decision = this.taskDecision(streamId, task.version, events, toNewEvents, propagationId, unitId);
        return { appends: decision.appends, result: (streams) => ({ ...decision.result(streams), findings: recorded }) };
      },
    );
  }

  /** Each found problem: recorded by the unit's official (source 自查, linked to the origin), then dispatched to the unit. */
  private async recordFound(
    task: Extract<SelfCheckState, { campaignId: string }>,
    problems: FoundProblem[],
    findingIds: string[],
    signer: Actor,
    meta: CommandMeta,
  ): Promise<Array<{ findingId: string; noticeNo: string | null }>> {
    const unit = await this.units.unit(task.unitId);
    const originFindingId = task.origin.kind === 'finding' ? task.origin.findingId : null;
    const out: Array<{ findingId: string; noticeNo: string | null }> = [];
    for (const [i, p] of problems.entries()) {
      const findingId = findingIds[i];
      const sub = (step: string): CommandMeta => ({ idempotencyKey: `${meta.idempotencyKey}/${step}/${i}`, correlationId: meta.correlationId });
      const townUnitId = p.townUnitId ?? (unit?.kind === 'town' ? task.unitId : undefined);
      if (!townUnitId) throw new InvalidInputError('TEXT_REQUIRED', `problems[${i}].townUnitId`, '部门自查发现的问题须注明所在乡镇');
      const data = {
        findingId,
        campaignId: task.campaignId,
        source: 'self_inspection' as const,
        categoryCode: p.categoryCode,
        severity: p.severity,
        townUnitId,
        village: p.village,
        household: p.household,
        description: p.description,
        evidence: p.evidence ?? [],
        propagatedFrom: { propagationId: task.propagationId, unitId: task.unitId, originFindingId },
      };
      await this.findings.handle({ type: 'RecordFinding', findingId, data }, signer, sub('record')).catch(rename(i));
      const dispatched = await this.findings
        .handle({ type: 'DispatchFinding', findingId, data: { unitId: task.unitId, note: '举一反三自查发现，即交本单位整改' } }, signer, sub('dispatch'))
        .catch(rename(i));
      out.push({ findingId, noticeNo: dispatched.noticeNo ?? null });
    }
    return out;
  }

  private taskDecision(
    streamId: string,
    version: number,
    events: SelfCheckEvent[],
    toNewEvents: (streamId: string, events: ReadonlyArray<{ type: string; data: object }>) => AppendToStream['events'],
    propagationId: string,
    unitId: string,
  ) {
    return {
      appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
      result: (streams: Array<{ toVersion: number }>): PropagationCommandResult => ({
        propagationId,
        unitId,
        version: streams[0]?.toVersion ?? version,
        events: events.map((e) => e.type),
      }),
    };
  }

  private async resolveUnits(scope: PropagationScope, chosen: string[] | undefined): Promise<string[]> {
    if (scope === 'all_towns' || scope === 'all_departments') {
      return this.roster.activeUnitIds(SCOPE_KINDS[scope]);
    }
    return chosen ?? [];
  }

  private async checkUnits(unitIds: string[]): Promise<void> {
    for (const [i, unitId] of unitIds.entries()) {
      const unit = await this.units.unit(unitId);
      if (!unit || !ASKABLE.includes(unit.kind)) {
        throw new InvalidInputError('UNKNOWN_UNIT', `unitIds[${i}]`, `单位 ${unitId} 不存在或不是乡镇、部门`);
      }
    }
  }

  /** The origin finding exists and is of this campaign (read from its stream, the source of truth); a checklist item exists. */
  private async checkOrigin(origin: PropagationOrigin, campaignId: string): Promise<void> {
    if (origin.kind === 'checklist_item') {
      if (!checklistItem(origin.categoryCode)) {
        throw new InvalidInputError('UNKNOWN_CHECKLIST_ITEM', 'origin.categoryCode', `检查清单中没有条目 ${origin.categoryCode}`);
      }
      return;
    }
    const { state } = await loadAggregate<FindingState, FindingEvent>(this.store, findingStreamId(origin.findingId), findingDecider.evolve, findingDecider.initialState());
    if (state.status === 'Empty') throw new InvalidInputError('UNKNOWN_FINDING', 'origin.findingId', `问题 ${origin.findingId} 不存在`);
    if (state.campaignId !== campaignId) {
      throw new InvalidInputError('FINDING_OF_ANOTHER_CAMPAIGN', 'origin.findingId', `问题 ${origin.findingId} 不属于专项行动 ${campaignId}`);
    }
  }

  /** The task's state and version, for its timer's plan. */
  loadTask(streamId: string) {
    return loadAggregate<SelfCheckState, SelfCheckEvent>(this.store, streamId, selfCheckDecider.evolve, selfCheckDecider.initialState());
  }
}

/** A found problem's bad field is named by its place in the attestation (`problems[1].description`). */
const rename =
  (i: number) =>
  (err: unknown): never => {
    if (err instanceof InvalidInputError) throw new InvalidInputError(err.code, `problems[${i}].${err.field}`, err.message);
    throw err;
  };
