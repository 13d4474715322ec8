import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  ForbiddenException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Actor, isPersonRole } from '@duban/domain';

export const IS_PUBLIC = 'duban:public';
/** Health and docs need no token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface TokenClaims {
  sub: string;
  name: string;
  unitId: string;
  role: string;
}

export function actorFromClaims(claims: TokenClaims): Actor | null {
  if (!claims || typeof claims.sub !== 'string' || typeof claims.name !== 'string' || typeof claims.unitId !== 'string') {
    return null;
  }
  if (!isPersonRole(claims.role)) return null;
  return { userId: claims.sub, name: claims.name, unitId: claims.unitId, role: claims.role };
}

/**
 * Every request carries a bearer JWT naming the person, their unit and role. The discipline inspector reads
 * everything and writes nothing: refused here for every write, before any handler runs.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest();
    const header: string | undefined = req.headers['authorization'];
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '需要登录：缺少 Bearer 令牌 (UNAUTHENTICATED)' });
    let actor: Actor | null = null;
    try {
      actor = actorFromClaims(await this.jwt.verifyAsync<TokenClaims>(token));
    } catch {
      actor = null;
    }
    if (!actor) throw new UnauthorizedException({ code: 'INVALID_TOKEN', message: '令牌无效或已过期 (INVALID_TOKEN)' });
    req.actor = actor;
    if (actor.role === 'discipline_inspector' && req.method !== 'GET' && req.method !== 'HEAD') {
      throw new ForbiddenException({
        code: 'READ_ONLY_ROLE',
        rule: 'READ_ONLY_ROLE',
        message: '纪委监委为只读角色，不能修改任何记录 (READ_ONLY_ROLE)',
      });
    }
    return true;
  }
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest().actor;
});

export function issueToken(jwt: JwtService, user: { userId: string; name: string; unitId: string; role: string }, expiresIn = '12h') {
  return jwt.sign({ sub: user.userId, name: user.name, unitId: user.unitId, role: user.role }, { expiresIn: expiresIn as any });
}
