import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { Actor } from '@duban/domain';

/** A unit official sees only their own unit's findings; everyone else (incl. the discipline inspector) sees all. */
export function scopeOf(actor: Actor): { unitId?: string } {
  return actor.role === 'unit_official' ? { unitId: actor.unitId } : {};
}

export function unitScopeDenied(): ForbiddenException {
  return new ForbiddenException({
    code: 'UNIT_SCOPE',
    rule: 'UNIT_SCOPE',
    message: '乡镇/部门只能查看本单位的问题 (UNIT_SCOPE)',
  });
}

export function notFound(what: string): never {
  throw new NotFoundException({ code: 'NOT_FOUND', message: `${what}不存在 (NOT_FOUND)` });
}
