import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  ForbiddenException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Actor, isPersonRole } from '@duban/domain';
import { authSettings, DUBAN_CONFIG, type DubanConfig } from '../config/config';
import { DirectoryRepository } from '../directory/directory.repository';
import { CredentialsStore, type SessionCheck } from './credentials.store';

export const IS_PUBLIC = 'duban:public';
/** Health and docs need no token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

const OWN_ACCOUNT = 'duban:own-account';
/**
 * The holder's own account (change the password, sign out, who am I): allowed while a password change is pending,
 * and to the read-only discipline inspector, whose own password is theirs to change.
 */
export const OwnAccount = () => SetMetadata(OWN_ACCOUNT, true);

export interface TokenClaims {
  sub: string;
  name: string;
  unitId: string;
  role: string;
  exp?: number;
  /** The sign-in session (tokens from POST /auth/sign-in); development tokens have none. */
  sid?: string;
}

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The claims a token must carry to be considered at all: who, which unit, which role, and when it expires. */
export function claimsAreComplete(claims: TokenClaims): boolean {
  return (
    !!claims &&
    typeof claims.sub === 'string' &&
    typeof claims.unitId === 'string' &&
    isPersonRole(claims.role) &&
    // A token without an expiry would be valid forever.
    typeof claims.exp === 'number' &&
    (claims.sid === undefined || (typeof claims.sid === 'string' && SESSION_ID.test(claims.sid)))
  );
}

const invalid = (code: string, message: string) => new UnauthorizedException({ code, message: `${message} (${code})` });

/**
 * Every request carries a bearer JWT naming the person, their unit and role — and the directory, not the token, has
 * the last word: whoever issued the token, the person must exist, be active, and still hold the unit and role the
 * token names (a move or a role change makes the old token useless). The signature's name, unit and role are the
 * directory's. The discipline inspector reads everything and writes nothing: refused here for every write, before
 * any handler runs.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly requireSession: boolean;

  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
    private readonly directory: DirectoryRepository,
    private readonly credentials: CredentialsStore,
    @Inject(DUBAN_CONFIG) config: DubanConfig,
  ) {
    this.requireSession = authSettings(config).requireSession;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest();
    const header: string | undefined = req.headers['authorization'];
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '需要登录：缺少 Bearer 令牌 (UNAUTHENTICATED)' });
    let claims: TokenClaims | null = null;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      claims = null;
    }
    if (!claims || !claimsAreComplete(claims)) throw invalid('INVALID_TOKEN', '令牌无效或已过期');
    if (this.requireSession && !claims.sid) throw invalid('INVALID_TOKEN', '令牌无效：生产环境只接受登录签发的令牌');
    // The directory and the session are read together: one primary-key lookup each, side by side.
    const [person, session] = await Promise.all([
      this.directory.user(claims.sub),
      claims.sid ? this.credentials.checkSession(claims.sid) : Promise.resolve(undefined),
    ]);
    if (!person) throw invalid('UNKNOWN_USER', '人员目录中没有此人');
    if (!person.active) throw invalid('USER_INACTIVE', '此人已停用，令牌作废');
    if (person.role !== claims.role || person.unitId !== claims.unitId || !isPersonRole(person.role)) {
      throw invalid('TOKEN_OUTDATED', '令牌中的单位或角色与人员目录不符，请重新登录');
    }
    if (session !== undefined) this.checkSession(session, claims.sub);
    const actor: Actor = { userId: person.userId, name: person.name, unitId: person.unitId, role: person.role };
    req.actor = actor;
    req.sessionId = claims.sid ?? null;
    const ownAccount = this.reflector.getAllAndOverride<boolean>(OWN_ACCOUNT, [context.getHandler(), context.getClass()]);
    if (session?.mustChangePassword && !ownAccount) {
      throw new ForbiddenException({
        code: 'PASSWORD_CHANGE_REQUIRED',
        rule: 'PASSWORD_CHANGE_REQUIRED',
        message: '请先修改初始或重置后的密码 (PASSWORD_CHANGE_REQUIRED)',
      });
    }
    if (actor.role === 'discipline_inspector' && !ownAccount && req.method !== 'GET' && req.method !== 'HEAD') {
      throw new ForbiddenException({
        code: 'READ_ONLY_ROLE',
        rule: 'READ_ONLY_ROLE',
        message: '纪委监委为只读角色，不能修改任何记录 (READ_ONLY_ROLE)',
      });
    }
    return true;
  }

  /** A session-bound token dies with its session: signed out, revoked on refresh-token reuse, reset, or past its end. */
  private checkSession(session: SessionCheck | null, userId: string): void {
    if (!session || session.userId !== userId) throw invalid('INVALID_TOKEN', '令牌无效或已过期');
    if (session.revoked) throw invalid('SESSION_REVOKED', '会话已注销，请重新登录');
  }
}

/** The session of the request's token (null for a development token). */
export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): string | null => {
  return ctx.switchToHttp().getRequest().sessionId ?? null;
});

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest().actor;
});

export function issueToken(jwt: JwtService, user: { userId: string; name: string; unitId: string; role: string }, expiresIn = '12h') {
  return jwt.sign({ sub: user.userId, name: user.name, unitId: user.unitId, role: user.role }, { expiresIn: expiresIn as any });
}
