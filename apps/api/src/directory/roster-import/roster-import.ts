import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DirectoryCommands } from '@duban/application';
import type { Actor } from '@duban/domain';
import { CLOCK, type Clock } from '../../database/database.module';
import type { CommandContext } from '../../http/request-context';
import { loadXlsx } from '../../imports/xlsx/xlsx-reader';
import { DirectoryRepository } from '../directory.repository';
import { DirectoryWriter } from '../directory-writer';
import { columnOf, type PlannedRow, planRoster, type RosterRow } from './roster-plan';

export interface RosterCounts {
  ok: number;
  unchanged: number;
  refused: number;
}

export interface RosterDryRun {
  fileSha256: string;
  rows: RosterRow[];
  counts: RosterCounts;
}

export interface RosterCommitResult extends RosterDryRun {
  applied: { streams: number; events: number };
  projected: boolean;
}

/** Rounds of dropping refused rows and deciding the rest again (a person whose unit's row was refused, …). */
const MAX_ROUNDS = 6;

/**
 * 名册导入: a dry run decides every row through the directory's own commands and appends nothing; the commit decides
 * the same way and appends every accepted row in one batch under the request's idempotency key, or nothing.
 */
@Injectable()
export class RosterImport {
  constructor(
    private readonly commands: DirectoryCommands,
    private readonly writer: DirectoryWriter,
    private readonly directory: DirectoryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async dryRun(buf: Buffer, fileName: string, actor: Actor): Promise<RosterDryRun> {
    const { sha256, rows } = await this.decide(buf, fileName, actor);
    return { fileSha256: sha256, rows: inSheetOrder(rows), counts: count(rows) };
  }

  async commit(buf: Buffer, fileName: string, ctx: CommandContext): Promise<RosterCommitResult> {
    const { sha256, rows } = await this.decide(buf, fileName, ctx.actor);
    const accepted = rows.filter((r) => r.verdict === 'ok').flatMap((r) => r.commands);
    const result = accepted.length
      ? await this.writer.handleBatch(accepted, ctx.actor, ctx, 'ImportRoster')
      : { streams: 0, events: 0, projected: true };
    return {
      fileSha256: sha256,
      rows: inSheetOrder(rows),
      counts: count(rows),
      applied: { streams: result.streams, events: result.events },
      projected: result.projected,
    };
  }

  private async decide(buf: Buffer, fileName: string, actor: Actor): Promise<{ sha256: string; rows: PlannedRow[] }> {
    const wb = await loadXlsx(buf);
    const sha256 = createHash('sha256').update(buf).digest('hex');
    const rows = planRoster(wb, await this.directory.roster(), { sha256, name: fileName });
    const now = this.clock.now().toISOString();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const live = rows.filter((r) => r.verdict === 'ok' && r.commands.length > 0);
      const verdicts = await this.commands.preview(live.flatMap((r) => r.commands), actor, now);
      let i = 0;
      let refusedNow = 0;
      for (const r of live) {
        for (let c = 0; c < r.commands.length; c++, i++) {
          const v = verdicts[i];
          if (v.ok) continue;
          r.verdict = 'refused';
          r.problems.push({ column: columnOf(r.sheet, v.field, v.code), code: v.code, message: v.message.endsWith(')') ? v.message : `${v.message} (${v.code})` });
          refusedNow++;
        }
      }
      if (refusedNow === 0) break;
    }
    return { sha256, rows };
  }
}

const publicRow = ({ commands: _commands, ...row }: PlannedRow): RosterRow => row;

/** As the sheets read: 单位 before 人员, each by row. */
const inSheetOrder = (rows: PlannedRow[]): RosterRow[] =>
  rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.sheet === b.r.sheet ? a.r.row - b.r.row : a.i - b.i))
    .map(({ r }) => publicRow(r));

const count = (rows: RosterRow[]): RosterCounts => ({
  ok: rows.filter((r) => r.verdict === 'ok').length,
  unchanged: rows.filter((r) => r.verdict === 'unchanged').length,
  refused: rows.filter((r) => r.verdict === 'refused').length,
});
