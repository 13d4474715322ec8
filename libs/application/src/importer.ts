import { type Actor, ForbiddenError, requireRole } from '@duban/domain';
import type { UnitDirectory } from './reference-checks';

/**
 * Who may bring a county's existing lists in: a supervisor or an administrator of the county office (县巩固办). The
 * role is the domain's rule (as it words it: a discipline inspector reads only); the unit is the directory's.
 * The dry run asks the same before it reads a file, so nobody else learns anything from one.
 */
export async function requireImporter(signer: Actor, units: UnitDirectory): Promise<void> {
  requireRole(signer, ['supervisor', 'admin']);
  if ((await units.unit(signer.unitId))?.kind !== 'county_office') {
    throw new ForbiddenError('IMPORTER_NOT_COUNTY_OFFICE', 'UNIT_SCOPE', '只有县巩固办的督查办人员或系统管理员可以导入问题清单');
  }
}
