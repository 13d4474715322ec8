import { Injectable } from '@nestjs/common';
import { checklistItem, FindingState, InvalidInputError } from '@duban/domain';
import { DirectoryRepository } from '../../directory/directory.repository';
import type { ExecuteFindingCommand } from './finding-command';

/**
 * What decide cannot know because it lives outside the stream: that a checklist code, a town or a unit exists.
 * Checked before deciding, so an unknown reference is a 400 and nothing is appended.
 */
@Injectable()
export class ReferenceChecks {
  constructor(private readonly directory: DirectoryRepository) {}

  async check(cmd: ExecuteFindingCommand, _state: FindingState): Promise<void> {
    const d = cmd.data as Record<string, unknown>;
    switch (cmd.type) {
      case 'RecordFinding':
        this.checklist(d.categoryCode, 'categoryCode');
        await this.unitOfKind(d.townUnitId, 'townUnitId', ['town']);
        return;
      case 'AmendFinding':
        if (d.categoryCode !== undefined) this.checklist(d.categoryCode, 'categoryCode');
        return;
      case 'DispatchFinding':
        await this.unitOfKind(d.unitId, 'unitId', ['town', 'department']);
        return;
      case 'ReassignFinding':
        await this.unitOfKind(d.toUnitId, 'toUnitId', ['town', 'department']);
        return;
      default:
        return;
    }
  }

  private checklist(code: unknown, field: string): void {
    if (typeof code !== 'string' || !checklistItem(code)) {
      throw new InvalidInputError('UNKNOWN_CHECKLIST_ITEM', field, `检查清单中没有条目 ${String(code)}`);
    }
  }

  private async unitOfKind(unitId: unknown, field: string, kinds: string[]): Promise<void> {
    const unit = typeof unitId === 'string' ? await this.directory.unit(unitId) : null;
    if (!unit || !kinds.includes(unit.kind)) {
      throw new InvalidInputError('UNKNOWN_UNIT', field, `单位 ${String(unitId)} 不存在或不能承接此问题`);
    }
  }
}
