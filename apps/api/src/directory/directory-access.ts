import { BadRequestException } from '@nestjs/common';
import { type Actor, ForbiddenError, ROLE_LABELS, type Role } from '@duban/domain';

/** Who reads the directory's lists, tree, history and audit trail: those who manage it and those who audit it. */
export const DIRECTORY_READERS: readonly Role[] = ['admin', 'discipline_inspector'];

/** A role gate for what the domain does not decide (reads, the import's dry run, the template). */
export function requireDirectoryRole(actor: Actor, roles: readonly Role[], what: string): void {
  if (!roles.includes(actor.role)) {
    throw new ForbiddenError('ROLE_REQUIRED', 'ROLE_REQUIRED', `${what}需要角色：${roles.map((r) => ROLE_LABELS[r]).join('、')}`);
  }
}

const ID = /^[a-z0-9][a-z0-9-]{1,63}$/;

/** A unit's or person's id in the path; anything else is a 400 naming the parameter. */
export const directoryIdPipe = (field: 'unitId' | 'personId') => ({
  transform(value: unknown): string {
    if (typeof value !== 'string' || !ID.test(value)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        field,
        message: `字段 ${field} 无效：编号只能包含小写字母、数字和连字符（2–64 位） (VALIDATION_FAILED)`,
      });
    }
    return value;
  },
});
