import type { Actor } from '../shared/actor';
import { ForbiddenError } from '../shared/errors';
import { optionalText, requireRole, requireText } from '../shared/guards';
import type { PropagatedFrom } from './commands';
import type { FindingState } from './state';

/**
 * 举一反三: a unit's official records what their own self-check found, for their own unit; everyone else records as
 * an inspector does.
 */
export const selfFound = (from: unknown, actor: Actor): PropagatedFrom | null => {
  if (from === undefined || from === null) {
    requireRole(actor, ['inspector']);
    return null;
  }
  requireRole(actor, ['unit_official']);
  const v = from as Record<string, unknown>;
  const link: PropagatedFrom = {
    propagationId: requireText(v.propagationId, 'propagatedFrom.propagationId', '举一反三编号'),
    unitId: requireText(v.unitId, 'propagatedFrom.unitId', '自查单位'),
    originFindingId: optionalText(v.originFindingId, 'propagatedFrom.originFindingId', '源问题编号'),
  };
  if (link.unitId !== actor.unitId) throw new ForbiddenError('NOT_YOUR_UNIT', 'UNIT_SCOPE', '只能登记本单位自查发现的问题');
  return link;
};

/** A supervisor dispatches; a problem a unit found itself goes to that unit at once, on its own official's signature. */
export const requireDispatcher = (actor: Actor, state: FindingState, unitId: unknown): void => {
  const link = state.status === 'Empty' ? null : state.propagatedFrom;
  if (link && actor.role === 'unit_official' && actor.unitId === link.unitId && unitId === link.unitId) return;
  requireRole(actor, ['supervisor']);
};
