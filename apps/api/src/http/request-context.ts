import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';

/** Commands carry an idempotency key: a retried request returns the first result and appends nothing. */
const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;


export const CommandHeaders = () =>
  applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: true, description: '幂等键：重试同一请求返回首次结果' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: '关联 ID，写入事件元数据与日志' }),
    ApiHeader({
      name: 'X-Captured-At',
      required: false,
      description: '客户端采集时间（ISO 8601，离线采集后补发时），与服务器时间并列记入事件元数据',
    }),
  );

export interface CommandContext {
  actor: import('@duban/domain').Actor;
  idempotencyKey: string;
  correlationId: string;
  /** When the person captured it on their device (offline capture sent later); the server's time stays the fact's. */
  capturedAt?: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function capturedAt(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  const at = typeof header === 'string' && INSTANT.test(header) ? new Date(header) : null;
  if (!at || Number.isNaN(at.getTime())) {
    throw new BadRequestException({
      code: 'VALIDATION_FAILED',
      field: 'X-Captured-At',
      message: '字段 X-Captured-At 无效：必须是 ISO 8601 时间 (VALIDATION_FAILED)',
    });
  }
  return at.toISOString();
}

/** The signer, the idempotency key and the correlation id of a command request, in one parameter. */
export const CommandCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext => {
  const req = ctx.switchToHttp().getRequest();
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new BadRequestException({
      code: 'VALIDATION_FAILED',
      field: 'Idempotency-Key',
      message: '字段 Idempotency-Key 无效：请求头必须提供 8–128 位的幂等键 (VALIDATION_FAILED)',
    });
  }
  const captured = capturedAt(req.headers['x-captured-at']);
  return { actor: req.actor, idempotencyKey: key, correlationId: String(req.id), ...(captured ? { capturedAt: captured } : {}) };
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids minted by the server (findings, propagations) are UUIDs; anything else is a 400 naming the path parameter. */
export class UuidPipe {
  constructor(private readonly field: string) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !UUID.test(value)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        field: this.field,
        message: `字段 ${this.field} 无效：必须是 UUID (VALIDATION_FAILED)`,
      });
    }
    return value.toLowerCase();
  }
}

/** Finding ids are UUIDs; anything else is a 400 naming the path parameter. */
export class FindingIdPipe extends UuidPipe {
  constructor() {
    super('findingId');
  }
}

const UNIT_ID = /^[a-z0-9-]{2,64}$/;

/** A unit id in the path, as the directory spells them; anything else is a 400 naming the parameter. */
export class UnitIdPipe {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !UNIT_ID.test(value)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        field: 'unitId',
        message: '字段 unitId 无效：编号只能包含小写字母、数字和连字符 (VALIDATION_FAILED)',
      });
    }
    return value;
  }
}
