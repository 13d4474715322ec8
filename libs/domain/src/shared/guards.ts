import type { Actor, Role } from './actor';
import { isRole, ROLE_LABELS } from './actor';
import { ForbiddenError, InvalidInputError } from './errors';
import { isInstant, isLocalDate, type LocalDate } from './local-date';
import type { CommandMetadata } from './messages';

/**
 * Role gate shared by every aggregate. Order matters: a read-only role or an admin is told exactly
 * why before the generic "wrong role" answer, because those two are rules the product names.
 */
export const requireRole = (actor: Actor, allowed: readonly Role[]): void => {
  if (actor.role === 'discipline_inspector') {
    throw new ForbiddenError('READ_ONLY_ROLE', 'READ_ONLY_ROLE', '纪委监委为只读角色，不能签署任何操作');
  }
  if (actor.role === 'admin' && !allowed.includes('admin')) {
    throw new ForbiddenError('ADMIN_CANNOT_SIGN', 'ADMIN_CANNOT_SIGN', '系统管理员不能代任何人签字');
  }
  if (!allowed.includes(actor.role)) {
    throw new ForbiddenError(
      'ROLE_REQUIRED',
      'ROLE_REQUIRED',
      `此操作需要角色：${allowed.map((r) => ROLE_LABELS[r]).join('、')}`,
    );
  }
};

export const validateMetadata = (metadata: CommandMetadata): void => {
  if (!metadata || !isInstant(metadata.now)) {
    throw new InvalidInputError('INVALID_INSTANT', 'metadata.now', '命令缺少有效的服务器时间');
  }
  const actor = metadata.actor;
  if (!actor || !nonEmpty(actor.userId) || !nonEmpty(actor.unitId) || !nonEmpty(actor.name) || !isRole(actor.role)) {
    throw new InvalidInputError('INVALID_ACTOR', 'metadata.actor', '命令缺少有效的签字人');
  }
};

export const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

export const requireText = (value: unknown, field: string, label: string): string => {
  if (!nonEmpty(value)) {
    throw new InvalidInputError('TEXT_REQUIRED', field, `${label}不能为空`);
  }
  return value.trim();
};

export const optionalText = (value: unknown, field: string, label: string): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new InvalidInputError('INVALID_TEXT', field, `${label}应为文本`);
  }
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
};

export const requireTextList = (
  value: unknown,
  field: string,
  label: string,
  options: { min?: number } = {},
): string[] => {
  if (!Array.isArray(value) || value.some((v) => !nonEmpty(v))) {
    throw new InvalidInputError('INVALID_LIST', field, `${label}应为非空文本列表`);
  }
  if (value.length < (options.min ?? 0)) {
    throw new InvalidInputError('LIST_TOO_SHORT', field, `${label}至少需要 ${options.min} 项`);
  }
  return value.map((v: string) => v.trim());
};

export const requireInteger = (value: unknown, field: string, label: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError('INVALID_NUMBER', field, `${label}应为 ${min}–${max} 之间的整数`);
  }
  return value;
};

export const optionalLocalDate = (value: unknown, field: string): LocalDate | null => {
  if (value === undefined || value === null) return null;
  if (!isLocalDate(value)) {
    throw new InvalidInputError('INVALID_DATE', field, `日期格式应为 YYYY-MM-DD：${String(value)}`);
  }
  return value;
};
