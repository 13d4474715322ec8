import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  ValidationError,
} from '@nestjs/common';
import { type DomainErrorKind, isDomainError } from '@duban/domain';
import { IdempotencyKeyReused, isDatabaseUnavailable, MerkleLogError, StreamVersionConflict } from '@duban/event-store';
import { BODY_LIMIT, BodyRefused } from '../http/body-parsing';
import { ImportFileRefused } from '../imports/xlsx/import-file-refused';

/** A domain refusal's HTTP status: the one place the domain's error kinds meet HTTP. */
export const httpStatusOf = (kind: DomainErrorKind): 400 | 403 | 404 | 409 => {
  switch (kind) {
    case 'forbidden':
      return 403;
    case 'invalid_state':
      return 409;
    case 'invalid_input':
      return 400;
    case 'not_found':
      return 404;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown error kind ${String(unreachable)}`);
    }
  }
};

/** Come back later: too many failed sign-ins (429 with Retry-After, in whole seconds). */
export class RetryLater extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`${message} (${code})`);
  }
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
  rule?: string;
  /** An uploaded workbook's refusal names where: sheet, row (1-based) and column. */
  sheet?: string;
  row?: number;
  column?: string;
}

/** class-validator failures become one 400 that names the first offending field (dotted for nested ones). */
export function validationExceptionFactory(errors: ValidationError[]): BadRequestException {
  const first = firstLeaf(errors[0]);
  const constraint = first.error.constraints ? Object.values(first.error.constraints)[0] : '格式不正确';
  return new BadRequestException({
    code: 'VALIDATION_FAILED',
    field: first.path,
    message: `字段 ${first.path} 无效：${constraint} (VALIDATION_FAILED)`,
  });
}

function firstLeaf(error: ValidationError, prefix = ''): { path: string; error: ValidationError } {
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints || !error.children?.length) return { path, error };
  return firstLeaf(error.children[0], path);
}

const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';

/** The one place where typed failures become HTTP: domain kinds, version conflicts, reused keys, the Merkle log's. */
@Catch()
export class DubanExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse();
    const body = this.toBody(exception);
    if (body.code === DATABASE_UNAVAILABLE) {
      // Expected during a database restart: the client retries; one line, not a stack per request.
      this.logger.warn({ err: (exception as Error)?.message }, 'database unavailable');
      res.setHeader('Retry-After', '5');
    } else if (exception instanceof RetryLater) {
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (body.statusCode >= 500) this.logger.error({ err: exception }, 'unhandled error');
    res.status(body.statusCode).json(body);
  }

  private toBody(e: unknown): ErrorBody {
    if (isDomainError(e)) {
      const json = e.toJSON() as Record<string, string>;
      return {
        statusCode: httpStatusOf(e.kind),
        code: e.code,
        message: json.field ? `字段 ${json.field} 无效：${e.message} (${e.code})` : `${e.message} (${e.code})`,
        ...(json.field ? { field: json.field } : {}),
        ...(json.rule ? { rule: json.rule } : {}),
      };
    }
    if (e instanceof ImportFileRefused) {
      const { sheet, row, column } = e.where;
      return {
        statusCode: 400,
        code: e.code,
        message: e.message,
        field: 'file',
        ...(sheet !== undefined ? { sheet } : {}),
        ...(row !== undefined ? { row } : {}),
        ...(column !== undefined ? { column } : {}),
      };
    }
    if (e instanceof StreamVersionConflict || e instanceof IdempotencyKeyReused) {
      return { statusCode: 409, code: e.code, message: e.message };
    }
    if (e instanceof RetryLater) return { statusCode: 429, code: e.code, message: e.message };
    if (e instanceof MerkleLogError) {
      return { statusCode: e.kind === 'not_found' ? 404 : 409, code: e.code, message: e.message };
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const r = e.getResponse();
      if (typeof r === 'object' && r !== null && 'code' in r) return { statusCode: status, ...(r as Omit<ErrorBody, 'statusCode'>) };
      if (status === 404) return { statusCode: 404, code: 'NOT_FOUND', message: '资源不存在 (NOT_FOUND)' };
      if (status === 400) {
        // Malformed JSON bodies and the like: still a clear 400, never a 500.
        const msg = typeof r === 'object' && r !== null && 'message' in r ? String((r as { message: unknown }).message) : e.message;
        return { statusCode: 400, code: 'BAD_REQUEST', message: `请求格式不正确：${msg} (BAD_REQUEST)` };
      }
      return { statusCode: status, code: `HTTP_${status}`, message: e.message };
    }
    const parser = requestParsingError(e);
    if (parser) return parser;
    if (isDatabaseUnavailable(e)) {
      return { statusCode: 503, code: DATABASE_UNAVAILABLE, message: `数据库暂时不可用，请稍后重试 (${DATABASE_UNAVAILABLE})` };
    }
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: '服务器内部错误 (INTERNAL_ERROR)' };
  }
}

/**
 * Failures before routing — the body parser (size, charset, encoding, syntax) and Express (an undecodable path) —
 * arrive as plain errors with a 4xx `status` and `expose` set; they are the client's fault and say so.
 */
function requestParsingError(e: unknown): ErrorBody | null {
  if (e instanceof BodyRefused) return { statusCode: e.status, code: e.code, message: e.message };
  if (typeof e !== 'object' || e === null) return null;
  const { status, expose, type } = e as { status?: unknown; expose?: unknown; type?: unknown };
  if (expose !== true || typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 413) {
    return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: `请求体超过 ${BODY_LIMIT} 上限 (PAYLOAD_TOO_LARGE)` };
  }
  if (status === 415) {
    const what = type === 'encoding.unsupported' ? '不支持的内容压缩方式' : '请求体只接受 UTF-8 编码';
    return { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: `${what} (UNSUPPORTED_MEDIA_TYPE)` };
  }
  const msg = e instanceof Error ? e.message : String(type ?? '');
  return { statusCode: 400, code: 'BAD_REQUEST', message: `请求格式不正确：${msg} (BAD_REQUEST)` };
}
