import { applyDecorators } from '@nestjs/common';
import { ApiResponse, OpenAPIObject } from '@nestjs/swagger';
import { AUTH_SCHEMAS } from './auth-schemas';
import { CADENCE_SCHEMAS } from './cadence-schemas';
import { DIRECTORY_SCHEMAS } from './directory-schemas';
import { IMPORT_SCHEMAS } from './import-schemas';
import { DEV_SIGN_IN_SCHEMAS } from './dev-sign-in-schemas';
import { LEDGER_SCHEMAS } from './ledger-schemas';
import { NOTIFICATION_SCHEMAS } from './notification-schemas';
import { REFERENCE_SCHEMAS } from './reference-schemas';
import { ref, Schema } from './schema-dsl';

// One decorator per kind of operation declares its success schema and the errors it can answer with, so the
// OpenAPI document states every response and a client (or the fuzz test) can check a body against it.

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: '输入无效：field 指明字段 (VALIDATION_FAILED 等)',
  401: '缺少或无效的令牌',
  403: '无权执行：rule 指明规则 (ROLE_REQUIRED、UNIT_SCOPE、SEPARATION_OF_DUTIES 等)',
  404: '资源不存在',
  409: '版本冲突、幂等键重复使用，或当前状态不允许此步骤',
  413: '请求体过大',
  415: '不支持的内容类型或字符集',
  429: '登录失败次数过多：Retry-After 指明几秒后再试 (TOO_MANY_ATTEMPTS)',
  503: '数据库或依赖服务暂不可用',
};

/** Every signed-in request may be refused for its token or its role and may meet a database that is down. */
const SIGNED_IN: ErrorStatus[] = [401, 403, 503];
const COMMAND_ERRORS: ErrorStatus[] = [400, ...SIGNED_IN, 404, 409, 413, 415];
const QUERY_ERRORS: ErrorStatus[] = [400, ...SIGNED_IN, 404];

/** The name of a response schema this module adds: a misspelt one does not compile. */
export type ResponseSchema =
  | keyof typeof LEDGER_SCHEMAS
  | keyof typeof REFERENCE_SCHEMAS
  | keyof typeof CADENCE_SCHEMAS
  | keyof typeof DIRECTORY_SCHEMAS
  | keyof typeof AUTH_SCHEMAS
  | keyof typeof IMPORT_SCHEMAS
  | keyof typeof DEV_SIGN_IN_SCHEMAS
  | keyof typeof NOTIFICATION_SCHEMAS;

const errors = (statuses: ErrorStatus[]) =>
  [...new Set(statuses)].sort().map((status) => ApiResponse({ status, description: ERROR_TEXT[status], schema: ref('ErrorBody') }));

interface ErrorOptions {
  /** Errors this operation cannot produce (no path parameter to miss, no query to validate). */
  without?: ErrorStatus[];
  /** Errors beyond its kind's usual ones. */
  also?: ErrorStatus[];
}

const adjust = (all: ErrorStatus[], opts: ErrorOptions) => [...all, ...(opts.also ?? [])].filter((s) => !opts.without?.includes(s));

/** A command (POST with an Idempotency-Key): its result, and every refusal — nothing is appended on any of them. */
export const CommandResponses = (result: ResponseSchema, opts: ErrorOptions & { status?: 200 | 201 } = {}) =>
  applyDecorators(
    ApiResponse({ status: opts.status ?? 200, description: '已执行；同一幂等键的重试返回首次结果', schema: ref(result) }),
    ...errors(adjust(COMMAND_ERRORS, opts)),
  );

/** A JSON query: the read model's shape, and its errors. */
export const QueryResponses = (result: ResponseSchema, opts: ErrorOptions = {}) =>
  applyDecorators(ApiResponse({ status: 200, description: '查询结果', schema: ref(result) }), ...errors(adjust(QUERY_ERRORS, opts)));

/** A document (XLSX workbook, printable HTML): a body of the given media type, and JSON errors. */
export const DocumentResponses = (contentType: string, opts: ErrorOptions = {}) =>
  applyDecorators(
    ApiResponse({
      status: 200,
      description: '文档',
      content: { [contentType]: { schema: { type: 'string', format: contentType.startsWith('text/') ? undefined : 'binary' } } },
    }),
    ...errors(adjust(QUERY_ERRORS, opts)),
  );

/**
 * An operation outside the command/query pattern (sign-in and its kin: no Idempotency-Key, errors of their own):
 * its result and exactly the errors listed.
 */
export const OperationResponses = (result: ResponseSchema, errorStatuses: ErrorStatus[], opts: { status?: 200 | 201; description?: string } = {}) =>
  applyDecorators(
    ApiResponse({ status: opts.status ?? 200, description: opts.description ?? '成功', schema: ref(result) }),
    ...errors(errorStatuses),
  );

/** A redirect (302) to another site; its body is a short HTML note. */
export const RedirectResponses = (description: string, errorStatuses: ErrorStatus[]) =>
  applyDecorators(
    ApiResponse({ status: 302, description, content: { 'text/html': { schema: { type: 'string' } }, 'text/plain': { schema: { type: 'string' } } } }),
    ...errors(errorStatuses),
  );

/** The response schemas the decorators above name, added to the document's components. */
export function withResponseSchemas(doc: OpenAPIObject): OpenAPIObject {
  const existing = doc.components?.schemas ?? {};
  const added: Record<string, Schema> = { ...LEDGER_SCHEMAS, ...REFERENCE_SCHEMAS, ...CADENCE_SCHEMAS, ...DIRECTORY_SCHEMAS, ...AUTH_SCHEMAS, ...IMPORT_SCHEMAS, ...DEV_SIGN_IN_SCHEMAS, ...NOTIFICATION_SCHEMAS };
  const clash = Object.keys(added).find((name) => name in existing);
  if (clash) throw new Error(`response schema ${clash} clashes with a request DTO of the same name`);
  return { ...doc, components: { ...doc.components, schemas: { ...existing, ...added } } };
}
