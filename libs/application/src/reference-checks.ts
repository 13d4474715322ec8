import { checklistItem, InvalidInputError } from '@duban/domain';
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
