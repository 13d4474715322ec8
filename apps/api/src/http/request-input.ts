import { ArgumentMetadata, BadRequestException, Injectable, ValidationPipe } from '@nestjs/common';
import { validationExceptionFactory } from '../errors/http-errors';

/**
 * Deeper than any DTO (a campaign's policy ladder is three levels down). The bound is checked here, before
 * class-transformer and class-validator recurse over the value, because they have no limit of their own and a
 * 15,000-level body overflows their stack.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * Names a plain object could use to reach an instance's prototype: class-transformer assigns `__proto__` as a
 * prototype, so the unknown-property check never sees it, and none of them is a field of any DTO.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * PostgreSQL's text and jsonb cannot hold U+0000, and jsonb refuses an unpaired UTF-16 surrogate: one such
 * character in a signed event would stop every projection that stores it, for good (issue 11 item 1).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type InputProblem =
  | { kind: 'unstorable'; field: string; character: string }
  | { kind: 'too_deep'; field: string }
  | { kind: 'prototype_key'; field: string };

const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/** The first thing in a request value that must not reach a DTO or the event log, with its field path. */
export function findInputProblem(value: unknown, path = ''): InputProblem | null {
  return inspect(value, path, 0, path);
}

function inspect(value: unknown, path: string, depth: number, top: string): InputProblem | null {
  if (typeof value === 'string') {
    const m = UNSTORABLE.exec(value);
    return m ? { kind: 'unstorable', field: path, character: describeChar(m[0]) } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  // Name the top-level field: a path 15,000 segments long helps nobody.
  if (depth >= MAX_INPUT_DEPTH) return { kind: 'too_deep', field: top || path };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = join(path, i);
      const found = inspect(value[i], p, depth + 1, top || p);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const p = join(path, key);
    if (PROTOTYPE_KEYS.has(key)) return { kind: 'prototype_key', field: p };
    const m = UNSTORABLE.exec(key);
    if (m) return { kind: 'unstorable', field: p, character: describeChar(m[0]) };
    const found = inspect((value as Record<string, unknown>)[key], p, depth + 1, top || p);
    if (found) return found;
  }
  return null;
}

const describeChar = (c: string): string => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

export function inputProblemException(problem: InputProblem): BadRequestException {
  const { field } = problem;
  switch (problem.kind) {
    case 'unstorable':
      return new BadRequestException({
        code: 'UNSTORABLE_TEXT',
        field,
        message: `字段 ${field} 无效：含有无法保存的字符 ${problem.character}（空字符或不成对的代理项） (UNSTORABLE_TEXT)`,
      });
    case 'too_deep':
      return new BadRequestException({
        code: 'NESTING_TOO_DEEP',
        field,
        message: `字段 ${field} 无效：嵌套超过 ${MAX_INPUT_DEPTH} 层 (NESTING_TOO_DEEP)`,
      });
    case 'prototype_key':
      return new BadRequestException({
        code: 'VALIDATION_FAILED',
        field,
        message: `字段 ${field} 无效：不允许的属性名 (VALIDATION_FAILED)`,
      });
  }
}

/**
 * The global pipe: every body, query and path parameter is first checked whole (storable text, bounded depth, no
 * prototype keys), then validated against its DTO, whitelisted, with unknown properties refused.
 */
@Injectable()
export class RequestInputPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationExceptionFactory });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // 'custom' parameters (the actor, the command context) are built by the server, not sent by the client.
    if (metadata.type !== 'custom') {
      const problem = findInputProblem(value, metadata.data ?? '');
      if (problem) throw inputProblemException(problem);
    }
    return super.transform(value, metadata);
  }
}
