import { type Actor, ForbiddenError, NotFoundError } from '@duban/domain';

/** A unit official sees only their own unit's findings; everyone else (incl. the discipline inspector) sees all. */
export function scopeOf(actor: Actor): { unitId?: string } {
  return actor.role === 'unit_official' ? { unitId: actor.unitId } : {};
}

/** Typed refusals; apps/api/src/errors/http-errors.ts turns them into 403 / 404, as every other refusal. */
export function unitScopeDenied(): ForbiddenError {
  return new ForbiddenError('UNIT_SCOPE', 'UNIT_SCOPE', '乡镇/部门只能查看本单位的问题');
}

export function notFound(what: string): never {
  throw new NotFoundError('NOT_FOUND', `${what}不存在`);
}
