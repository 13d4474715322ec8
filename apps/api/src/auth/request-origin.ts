import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { RequestOrigin } from './sign-in.service';

/**
 * The client's address (the socket's, or the proxy's forwarded one when Express is told to trust a proxy) and the
 * request's correlation id: what the lockout counts per address and what the audit trail records.
 */
export const Origin = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestOrigin => {
  const req = ctx.switchToHttp().getRequest();
  return { clientAddress: String(req.ip ?? req.socket?.remoteAddress ?? 'unknown'), correlationId: String(req.id) };
});
