import { checklistItem, type EvidenceFile, InvalidInputError } from '@duban/domain';
import type { DispatchFindings, FindingCommandRequest, ImportFindings } from './commands';

/** The directory's units, as far as the write side asks: that one exists and what kind it is. */
export interface UnitDirectory {
  unit(unitId: string): Promise<{ kind: string } | null>;
}

/**
 * What decide cannot know because it lives outside the stream: that a checklist code, a town or a unit exists.
 * Checked before deciding, so an unknown reference is a 400 and nothing is appended.
 */
export async function checkReferences(command: FindingCommandRequest | DispatchFindings | ImportFindings, units: UnitDirectory): Promise<void> {
  switch (command.type) {
    case 'ImportFindings': {
      // A sheet names the same few dozen units over and over: each is looked up once.
      const known = new Map<string, Promise<{ kind: string } | null>>();
      const cached: UnitDirectory = {
        unit: (id) => known.get(id) ?? (known.set(id, units.unit(id)), known.get(id)!),
      };
      for (const [i, row] of command.rows.entries()) {
        checklist(row.categoryCode, `rows[${i}].categoryCode`);
        await unitOfKind(cached, row.townUnitId, `rows[${i}].townUnitId`, ['town']);
        if (row.sheetUnitId !== undefined) await unitOfKind(cached, row.sheetUnitId, `rows[${i}].sheetUnitId`, ['town', 'department']);
      }
      return;
    }
    case 'RecordFinding':
      checklist(command.data.categoryCode, 'categoryCode');
      await unitOfKind(units, command.data.townUnitId, 'townUnitId', ['town']);
      return;
    case 'AmendFinding':
      if (command.data.categoryCode !== undefined) checklist(command.data.categoryCode, 'categoryCode');
      return;
    case 'DispatchFinding':
    case 'DispatchFindings':
      await unitOfKind(units, command.data.unitId, 'unitId', ['town', 'department']);
      return;
    case 'ReassignFinding':
      await unitOfKind(units, command.data.toUnitId, 'toUnitId', ['town', 'department']);
      return;
    default:
      return;
  }
}

function checklist(code: unknown, field: string): void {
  if (typeof code !== 'string' || !checklistItem(code)) {
    throw new InvalidInputError('UNKNOWN_CHECKLIST_ITEM', field, `检查清单中没有条目 ${String(code)}`);
  }
}

async function unitOfKind(units: UnitDirectory, unitId: unknown, field: string, kinds: string[]): Promise<void> {
  const unit = typeof unitId === 'string' ? await units.unit(unitId) : null;
  if (!unit || !kinds.includes(unit.kind)) {
    throw new InvalidInputError('UNKNOWN_UNIT', field, `单位 ${String(unitId)} 不存在或不能承接此问题`);
  }
}

/** The evidence uploads, as far as the write side asks: which of these hashes were uploaded, and what each file is. */
export interface EvidenceCatalog {
  /** The uploaded files among `sha256s`; a file uploaded more than once is named as `uploaderId` named it, if they did. */
  files(sha256s: string[], uploaderId: string): Promise<EvidenceFile[]>;
}

type WithEvidence = Extract<FindingCommandRequest, { type: 'RecordFinding' | 'ReportProgress' | 'SubmitRectification' }>;
const carriesEvidence = (c: FindingCommandRequest): c is WithEvidence =>
  c.type === 'RecordFinding' || c.type === 'ReportProgress' || c.type === 'SubmitRectification';

/**
 * Looks up the uploads behind a command's evidence references, so decide can record what each file is (hash, name,
 * type, size) and refuse a reference to nothing uploaded (400 naming `evidence[i]`). Without a catalog (an entry
 * point with no evidence store: the test drivers) the references are decided as given.
 */
export async function withEvidenceFiles(
  command: FindingCommandRequest,
  catalog: EvidenceCatalog | undefined,
  uploaderId: string,
): Promise<FindingCommandRequest> {
  if (!catalog || !carriesEvidence(command)) return command;
  const refs: unknown = command.data.evidence;
  const hashes = Array.isArray(refs) ? [...new Set(refs.filter((r): r is string => typeof r === 'string'))] : [];
  const evidenceFiles = hashes.length ? await catalog.files(hashes, uploaderId) : [];
  return { ...command, data: { ...command.data, evidenceFiles } } as FindingCommandRequest;
}
