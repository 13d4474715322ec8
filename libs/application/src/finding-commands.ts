import {
  type Actor,
  campaignStreamId,
  decideDispatch,
  type DispatchCommand,
  type FindingCommand,
  findingDecider,
  type FindingEvent,
  type FindingState,
  findingStreamId,
  InvalidInputError,
  isSystemCommandType,
  NotFoundError,
} from '@duban/domain';
import {
  type AppendToStream,
  type CommandRunner,
  type EventStore,
  KeyedMutex,
  type StreamLocks,
  StreamVersionConflict,
} from '@duban/event-store';
import type { CampaignContexts } from './campaign-contexts';
import type { CommandMeta, DispatchFindings, FindingCommandRequest, ImportFindings } from './commands';
import { commandRequest } from './commands';
import { loadFindingStream } from './finding-stream';
import { requireImporter } from './importer';
import { checkReferences, type EvidenceCatalog, type UnitDirectory, withEvidenceFiles } from './reference-checks';

export interface FindingCommandResult {
  findingId: string;
  /** The finding stream's version after the command: read models reflect it once they reach it. */
  version: number;
  events: string[];
  noticeNo?: string;
}

export interface DispatchBatchResult {
  noticeNo: string;
  findings: Array<{ findingId: string; version: number }>;
}

export interface ImportFindingsResult {
  campaignId: string;
  sha256: string;
  /** Findings this commit added, by sheet row. */
  imported: Array<{ row: number; findingId: string; kind: 'open' | 'closed' }>;
  /** Rows whose finding was already in the store: nothing added for them. */
  alreadyImported: Array<{ row: number; findingId: string }>;
}

/** A campaign's notices are numbered one at a time (gapless): dispatches of one campaign take this lock. */
const noticeLock = (campaignId: string) => `dispatch-notice:${campaignId}`;

const numbered = (type: string): type is DispatchCommand['type'] => type === 'DispatchFinding' || type === 'ReassignFinding';

/**
 * A lost race is decided again on fresh state, not answered with a 409: on the campaign stream (another command of the
 * campaign, e.g. a pause, committed between our read and our append) and — only when the client sent no
 * `expectedVersion` — on the finding's own stream. A client that sent a version gets the conflict it asked about.
 */
const raceToRetry = (findingStreams: string[], clientSentVersion: boolean) => (err: unknown) =>
  err instanceof StreamVersionConflict &&
  (err.streamId.startsWith('campaign-') || (!clientSentVersion && findingStreams.includes(err.streamId)));

/** What one finding command decided, for a caller that shapes its own result (a timer's activity result). */
export interface FindingOutcome {
  findingId: string;
  /** The stream's version after the command (unchanged when nothing was decided). */
  version: number;
  events: FindingEvent[];
  noticeNo?: string;
}

/**
 * The findings' write side, for every entry point: people over HTTP, timers in the worker, the bench and the test
 * drivers. Replay check, decide on fresh state, one atomic append (CommandRunner); commands on one finding in this
 * process queue in memory, and dispatches of one campaign take the campaign's notice lock (StreamLocks) from reading
 * the campaign to committing, so its notice numbers stay gapless.
 */
export class FindingCommands {
  /** Commands on one finding in this process go one at a time, so they do not collide and retry among themselves. */
  private readonly perFinding = new KeyedMutex();

  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly campaigns: CampaignContexts,
    private readonly locks: StreamLocks,
    private readonly units: UnitDirectory,
    private readonly evidence?: EvidenceCatalog,
  ) {}

  async handle(command: FindingCommandRequest, signer: Actor, meta: CommandMeta): Promise<FindingCommandResult> {
    return this.run(command, signer, meta, (o): FindingCommandResult => ({
      findingId: o.findingId,
      version: o.version,
      events: o.events.map((e) => e.type),
      ...(o.noticeNo ? { noticeNo: o.noticeNo } : {}),
    }));
  }

  /**
   * As `handle`, with the result shaped by the caller — stored as the command's first result and returned on every
   * replay (a timer's activity result has its own contract shape).
   */
  async run<R>(command: FindingCommandRequest, signer: Actor, meta: CommandMeta, result: (outcome: FindingOutcome) => R): Promise<R> {
    const streamId = findingStreamId(command.findingId);
    if (numbered(command.type)) {
      const campaignId = await this.campaignOf(streamId);
      const decideNumbered = () => this.decideAndAppend(command, signer, meta, result, campaignId ?? undefined);
      if (campaignId) return this.locks.withLock(noticeLock(campaignId), () => this.perFinding.withLock(streamId, decideNumbered));
    }
    return this.perFinding.withLock(streamId, () => this.decideAndAppend(command, signer, meta, result));
  }

  /**
   * 批量交办: several recorded findings of one campaign to one unit under a single dispatch notice number, in one
   * atomic append (every finding's FindingDispatched and the campaign's DispatchNoticeIssued) — all or nothing.
   */
  async dispatchBatch(command: DispatchFindings, signer: Actor, meta: CommandMeta): Promise<DispatchBatchResult> {
    const campaignId = command.findingIds.length ? await this.campaignOf(findingStreamId(command.findingIds[0])) : null;
    const decideOnce = () => this.decideAndAppendBatch(command, signer, meta);
    return campaignId ? this.locks.withLock(noticeLock(campaignId), decideOnce) : decideOnce();
  }

  /**
   * `knownCampaign`: for a numbered command, the campaign its finding belongs to (a finding never changes campaign). Its
   * state and the official calendar are then read beside the finding's stream rather than after it: the reads a
   * dispatch makes while it holds the campaign's notice lock take one round trip instead of three.
   */
  private decideAndAppend<R>(
    command: FindingCommandRequest,
    signer: Actor,
    meta: CommandMeta,
    result: (outcome: FindingOutcome) => R,
    knownCampaign?: string,
  ): Promise<R> {
    const { findingId, expectedVersion } = command;
    const streamId = findingStreamId(findingId);
    const system = isSystemCommandType(command.type);
    // A command decided at a given instant names that instant: a retried timer is the same request only for the same
    // due time.
    const request = commandRequest(
      command.type,
      signer,
      meta,
      meta.at !== undefined
        ? { findingId, command: { type: command.type, data: command.data }, dueAt: meta.at }
        : { findingId, data: command.data, expectedVersion: expectedVersion ?? null },
    );
    return this.runner.run<R>(
      request,
      async ({ now, toNewEvents }) => {
        const early = knownCampaign ? this.numberingReads(knownCampaign) : undefined;
        const stream = await this.loadFinding(streamId, system ? meta.asOf : undefined);
        if (expectedVersion !== undefined && expectedVersion !== stream.version) {
          throw new StreamVersionConflict(streamId, expectedVersion, stream.version);
        }
        const state = stream.state;
        const campaignId = state.status !== 'Empty' ? state.campaignId : command.type === 'RecordFinding' ? command.data.campaignId : '';
        const nothing = { appends: [], result: () => result({ findingId, version: stream.version, events: [] }) };
        if (system) {
          // A timer for a finding that is not there, or whose campaign is gone, has nothing to establish.
          const ctx = state.status === 'Empty' ? null : await this.campaigns.context(campaignId);
          if (!ctx) return nothing;
          const events = findingDecider.decide({ ...command, metadata: { now, actor: signer } } as FindingCommand, state, ctx);
          return this.decision(streamId, stream.version, events, toNewEvents, findingId, result);
        }
        if (state.status === 'Empty' && command.type !== 'RecordFinding') {
          throw new NotFoundError('FINDING_NOT_FOUND', `问题 ${findingId} 不存在`);
        }
        const metadata = { now, actor: signer };
        if (numbered(command.type)) {
          const { campaign, official } = await (campaignId === knownCampaign && early ? early : this.numberingReads(campaignId));
          await checkReferences(command, this.units);
          // Every dispatch, and every reassignment to a new unit, goes out under a notice number from the campaign
          // stream, issued in the same atomic append: gapless, never reused.
          const decided = decideDispatch(campaign.state, [{ findingId, state }], { ...command, metadata } as DispatchCommand, official.data);
          const events = decided.findings[0];
          const campaignStream = campaignStreamId(campaignId);
          const appends: AppendToStream[] = [
            { streamId, expectedVersion: stream.version, events: toNewEvents(streamId, events) },
            { streamId: campaignStream, expectedVersion: campaign.version, events: toNewEvents(campaignStream, decided.campaign) },
          ];
          return {
            appends,
            result: (streams) => result({ findingId, version: streams[0].toVersion, events, noticeNo: decided.noticeNo }),
          };
        }
        const ctx = await this.campaigns.requireContext(campaignId);
        await checkReferences(command, this.units);
        const withFiles = await withEvidenceFiles(command, this.evidence, signer.userId);
        const events = findingDecider.decide({ ...withFiles, metadata } as FindingCommand, state, ctx);
        return this.decision(streamId, stream.version, events, toNewEvents, findingId, result);
      },
      raceToRetry([streamId], expectedVersion !== undefined),
    );
  }

  private decision<R>(
    streamId: string,
    version: number,
    events: FindingEvent[],
    toNewEvents: (streamId: string, events: ReadonlyArray<{ type: string; data: object }>) => AppendToStream['events'],
    findingId: string,
    result: (outcome: FindingOutcome) => R,
  ) {
    return {
      appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
      result: (streams: Array<{ toVersion: number }>) => result({ findingId, version: streams[0]?.toVersion ?? version, events }),
    };
  }

  private decideAndAppendBatch(command: DispatchFindings, signer: Actor, meta: CommandMeta): Promise<DispatchBatchResult> {
    const { findingIds, data } = command;
    const request = commandRequest(command.type, signer, meta, {
      findingIds,
      unitId: data.unitId,
      deadlineWorkdays: data.deadlineWorkdays ?? null,
      note: data.note ?? null,
    });
    return this.runner.run<DispatchBatchResult>(
      request,
      async ({ now, toNewEvents }) => {
        const findings: Array<{ findingId: string; streamId: string; version: number; state: FindingState }> = [];
        for (const findingId of findingIds) {
          const streamId = findingStreamId(findingId);
          const stream = await this.loadFinding(streamId);
          if (stream.state.status === 'Empty') throw new NotFoundError('FINDING_NOT_FOUND', `问题 ${findingId} 不存在`);
          findings.push({ findingId, streamId, version: stream.version, state: stream.state });
        }
        const campaignOf = (s: FindingState) => (s.status === 'Empty' ? '' : s.campaignId);
        const campaignId = findings.length ? campaignOf(findings[0].state) : '';
        if (findings.some((f) => campaignOf(f.state) !== campaignId)) {
          throw new InvalidInputError('MIXED_CAMPAIGNS', 'findingIds', '同一份督办通知书只能交办同一专项行动的问题');
        }
        await checkReferences(command, this.units);
        const { campaign, official } = await this.numberingReads(campaignId);
        const decided = decideDispatch(campaign.state, findings, { type: 'DispatchFinding', data, metadata: { now, actor: signer } }, official.data);
        const campaignStream = campaignStreamId(campaignId);
        const appends: AppendToStream[] = findings.map((f, i) => ({
          streamId: f.streamId,
          expectedVersion: f.version,
          events: toNewEvents(f.streamId, decided.findings[i]),
        }));
        appends.push({ streamId: campaignStream, expectedVersion: campaign.version, events: toNewEvents(campaignStream, decided.campaign) });
        return {
          appends,
          result: (streams): DispatchBatchResult => ({
            noticeNo: decided.noticeNo,
            findings: findings.map((f, i) => ({ findingId: f.findingId, version: streams[i].toVersion })),
          }),
        };
      },
      raceToRetry(findingIds.map(findingStreamId), false),
    );
  }

  /**
   * 导入问题清单: every accepted row of one file in one atomic append under the command's one idempotency key — all or
   * nothing. A row whose finding already exists adds nothing, so the same file again appends nothing at all. Only the
   * county office's supervisors and administrators import (the domain checks the role, here the unit).
   */
  async importFindings(command: ImportFindings, signer: Actor, meta: CommandMeta): Promise<ImportFindingsResult> {
    const request = commandRequest(command.type, signer, meta, { campaignId: command.campaignId, sha256: command.sha256, rows: command.rows });
    return this.runner.run<ImportFindingsResult>(
      request,
      async ({ now, toNewEvents }) => {
        // Who first, so a file of rows already imported tells nobody else anything.
        await requireImporter(signer, this.units);
        const ctx = await this.campaigns.requireContext(command.campaignId);
        await checkReferences(command, this.units);
        const imported: ImportFindingsResult['imported'] = [];
        const alreadyImported: ImportFindingsResult['alreadyImported'] = [];
        const appends: AppendToStream[] = [];
        const streams = await this.loadFindings(command.rows.map((r) => r.findingId));
        for (const [i, row] of command.rows.entries()) {
          const streamId = findingStreamId(row.findingId);
          const stream = streams[i];
          if (stream.state.status !== 'Empty') {
            alreadyImported.push({ row: row.importedFrom.row, findingId: row.findingId });
            continue;
          }
          const events = findingDecider.decide({ type: 'ImportFinding', data: row, metadata: { now, actor: signer } }, stream.state, ctx);
          appends.push({ streamId, expectedVersion: stream.version, events: toNewEvents(streamId, events) });
          imported.push({ row: row.importedFrom.row, findingId: row.findingId, kind: row.closed ? 'closed' : 'open' });
        }
        return { appends, result: () => ({ campaignId: command.campaignId, sha256: command.sha256, imported, alreadyImported }) };
      },
      // Another import of the same findings committed first: decided again, those rows are then already imported.
      raceToRetry(command.rows.map((r) => findingStreamId(r.findingId)), false),
    );
  }

  /** Of the given findings, those already in the store (an import's dry run reports their rows as imported). */
  async existingFindings(findingIds: readonly string[]): Promise<Set<string>> {
    const loaded = await this.loadFindings(findingIds);
    return new Set(findingIds.filter((_, i) => loaded[i].version > 0));
  }

  /** Many findings' streams, in the order asked, a few reads at a time: a 2,000-row sheet should not take the pool. */
  private async loadFindings(findingIds: readonly string[]): Promise<Array<{ state: FindingState; version: number }>> {
    const out = new Array<{ state: FindingState; version: number }>(findingIds.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = next++; i < findingIds.length; i = next++) out[i] = await this.loadFinding(findingStreamId(findingIds[i]));
      }),
    );
    return out;
  }

  /** What numbering a notice needs besides the finding: the campaign now (or 404) and the official calendar in force. */
  private numberingReads(campaignId: string) {
    const reads = Promise.all([this.campaigns.active(campaignId), this.campaigns.officialCalendars.current()]).then(([campaign, official]) => ({
      campaign,
      official,
    }));
    // Read early, it may be dropped unawaited when the decision refuses first: that must not be an unhandled rejection.
    reads.catch(() => undefined);
    return reads;
  }

  /** The campaign a finding belongs to, or null when it does not exist yet (the decision then says 404). */
  private async campaignOf(streamId: string): Promise<string | null> {
    const { state } = await this.loadFinding(streamId);
    return state.status === 'Empty' ? null : state.campaignId;
  }

  private loadFinding(streamId: string, asOf?: string): Promise<{ state: FindingState; version: number }> {
    return loadFindingStream(this.store, streamId, asOf);
  }
}
