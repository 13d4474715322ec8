import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { CampaignContexts, FindingCommands, type ImportFindingsResult, requireImporter } from '@duban/application';
import {
  type Actor,
  decideFindingList,
  type ImportDirectory,
  NameIndex,
  type RowChoice,
  type RowProblem,
  type RowVerdict,
  type RowVerdictKind,
  shanghaiDateOf,
  townKey,
  unitKey,
  villageKey,
} from '@duban/domain';
import type { UnitRow } from '@duban/read-models';
import { CLOCK, type Clock } from '../../database/database.module';
import { DirectoryRepository } from '../../directory/directory.repository';
import type { CommandContext } from '../../http/request-context';
import { readXlsx } from '../xlsx/xlsx-reader';
import type { Upload } from '../xlsx/upload';
import { findingListReport } from './finding-list-report';
import { findingListOf, type FindingListSheet } from './finding-list-sheet';

/** Finding ids of imported rows: UUIDv5 of what makes a finding the same one, so a second import finds the first. */
const IMPORTED_FINDING_NAMESPACE = '3b0e7a4c-1f52-4d8e-9c7a-5e2d1b6f8a90';

export type PublicRowVerdict = Omit<RowVerdict, 'command'>;

export interface FindingListDryRun {
  campaignId: string;
  fileName: string;
  sha256: string;
  sheet: string;
  headerRow: number;
  counts: Record<RowVerdictKind, number> & { open: number; closed: number };
  rows: PublicRowVerdict[];
}

export interface FindingListCommit extends ImportFindingsResult {
  /** Rows this commit did not apply: refused, or still needing a choice the request did not make. */
  notImported: Array<{ row: number; verdict: RowVerdictKind; problems: RowProblem[] }>;
}

interface Checked {
  sheet: FindingListSheet;
  verdicts: RowVerdict[];
  sha256: string;
}

/**
 * 导入问题清单, over HTTP: the dry run and the commit read the file the same way and decide the same rows (the domain's
 * decideFindingList); the commit then sends the accepted ones to FindingCommands.importFindings — one atomic append.
 */
@Injectable()
export class FindingListImportService {
  constructor(
    private readonly findings: FindingCommands,
    private readonly campaigns: CampaignContexts,
    private readonly directory: DirectoryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async dryRun(campaignId: string, upload: Upload, actor: Actor, choices: Record<number, RowChoice>): Promise<FindingListDryRun> {
    const { sheet, verdicts, sha256 } = await this.check(campaignId, upload, actor, choices);
    const count = (f: (v: RowVerdict) => boolean) => verdicts.filter(f).length;
    return {
      campaignId,
      fileName: upload.fileName,
      sha256,
      sheet: sheet.sheet,
      headerRow: sheet.headerRow,
      counts: {
        ok: count((v) => v.verdict === 'ok'),
        needs_choice: count((v) => v.verdict === 'needs_choice'),
        refused: count((v) => v.verdict === 'refused'),
        already_imported: count((v) => v.verdict === 'already_imported'),
        open: count((v) => v.verdict === 'ok' && v.kind === 'open'),
        closed: count((v) => v.verdict === 'ok' && v.kind === 'closed'),
      },
      rows: verdicts.map(({ command: _command, ...v }) => v),
    };
  }

  async report(campaignId: string, upload: Upload, actor: Actor, choices: Record<number, RowChoice>): Promise<Buffer> {
    const { sheet, verdicts, sha256 } = await this.check(campaignId, upload, actor, choices);
    return findingListReport(sheet, verdicts, {
      fileName: upload.fileName,
      sha256,
      campaignId,
      checkedAt: this.clock.now().toISOString(),
      checkedBy: `${actor.name}（${actor.userId}）`,
    });
  }

  async commit(campaignId: string, upload: Upload, ctx: CommandContext, choices: Record<number, RowChoice>): Promise<FindingListCommit> {
    // The write side finds the rows already imported itself (and skips them); the commit need not look first.
    const { verdicts, sha256 } = await this.check(campaignId, upload, ctx.actor, choices, false);
    // Rows already imported go with the rest: the request stays the same request when it is retried after it
    // committed, and the write side skips what is there.
    const rows = verdicts.filter((v) => v.command && (v.verdict === 'ok' || v.verdict === 'already_imported')).map((v) => v.command!);
    const result = await this.findings.importFindings({ type: 'ImportFindings', campaignId, sha256, rows }, ctx.actor, ctx);
    return {
      ...result,
      notImported: verdicts
        .filter((v) => v.verdict === 'refused' || v.verdict === 'needs_choice')
        .map((v) => ({ row: v.row, verdict: v.verdict, problems: v.problems })),
    };
  }

  private async check(campaignId: string, upload: Upload, actor: Actor, choices: Record<number, RowChoice>, lookForExisting = true): Promise<Checked> {
    await requireImporter(actor, this.directory);
    await this.campaigns.requireContext(campaignId);
    const sha256 = createHash('sha256').update(upload.buffer).digest('hex');
    const sheet = findingListOf(await readXlsx(upload.buffer));
    const directory = importDirectory(await this.directory.units());
    const ctx = {
      campaignId,
      sha256,
      today: shanghaiDateOf(this.clock.now().toISOString()),
      directory,
      findingIdOf: (key: string) => uuidv5(key, IMPORTED_FINDING_NAMESPACE),
      choices,
    };
    const first = decideFindingList(sheet.rows, { ...ctx, existing: new Set() });
    if (!lookForExisting) return { sheet, verdicts: first, sha256 };
    const existing = await this.findings.existingFindings(first.flatMap((v) => (v.findingId ? [v.findingId] : [])));
    return { sheet, verdicts: existing.size ? decideFindingList(sheet.rows, { ...ctx, existing }) : first, sha256 };
  }
}

/** Villages and communities are units under their town once the directory has them (kind village/community). */
function importDirectory(units: UnitRow[]): ImportDirectory {
  const named = (u: UnitRow) => ({ unitId: u.unitId, name: u.name });
  const kind = (u: UnitRow) => u.kind as string;
  const villages = new Map<string, UnitRow[]>();
  for (const u of units) {
    if ((kind(u) === 'village' || kind(u) === 'community') && u.parentId) villages.set(u.parentId, [...(villages.get(u.parentId) ?? []), u]);
  }
  const villageIndexes = new Map([...villages].map(([town, vs]) => [town, new NameIndex(vs.map(named), villageKey)]));
  return {
    towns: new NameIndex(units.filter((u) => u.kind === 'town').map(named), townKey),
    assignees: new NameIndex(units.filter((u) => u.kind === 'town' || u.kind === 'department').map(named), unitKey),
    villagesOf: (townUnitId) => villageIndexes.get(townUnitId) ?? null,
  };
}

const CHOICE_KEYS = new Set(['townUnitId', 'villageUnitId', 'unitId', 'categoryCode']);

/** `choices`: JSON of { "<row>": { townUnitId?, villageUnitId?, unitId?, categoryCode? } }, each a string. */
export function parseChoices(text: string | undefined): Record<number, RowChoice> {
  if (text === undefined || text.trim() === '') return {};
  const bad = (why: string) =>
    new BadRequestException({ code: 'VALIDATION_FAILED', field: 'choices', message: `字段 choices 无效：${why} (VALIDATION_FAILED)` });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad('不是 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('应为以行号为键的对象');
  const out: Record<number, RowChoice> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!/^[1-9]\d{0,6}$/.test(key)) throw bad(`键 ${key.slice(0, 20)} 不是行号`);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`第 ${key} 行的选择应为对象`);
    for (const [k, v] of Object.entries(value)) {
      if (!CHOICE_KEYS.has(k)) throw bad(`第 ${key} 行的选择只能有 ${[...CHOICE_KEYS].join('、')}`);
      if (typeof v !== 'string' || v.length === 0 || v.length > 128) throw bad(`第 ${key} 行的 ${k} 应为 1–128 个字符`);
    }
    out[Number(key)] = value as RowChoice;
  }
  return out;
}
