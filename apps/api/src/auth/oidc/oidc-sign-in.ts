import { BadRequestException, ForbiddenException, Inject, Injectable, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import * as oidc from 'openid-client';
import { CLOCK, type Clock } from '../../database/database.module';
import { authSettings, DUBAN_CONFIG, type DubanConfig, type OidcSettings } from '../../config/config';
import { DirectoryRepository } from '../../directory/directory.repository';
import { CredentialsStore } from '../credentials.store';
import { parseLogin, type RequestOrigin, type SignInResult, SignInService } from '../sign-in.service';

/** How long a browser may take at the identity provider between start and callback. */
const REQUEST_TTL_MS = 10 * 60 * 1000;

const notConfigured = () =>
  new NotFoundException({ code: 'OIDC_NOT_CONFIGURED', message: '未配置统一身份认证（单点登录） (OIDC_NOT_CONFIGURED)' });

/**
 * Single sign-on with a provincial 政务 identity provider: OpenID Connect authorization code with PKCE, state and
 * nonce (openid-client). The provider vouches for the person; Duban maps one configured claim (a phone number, or
 * any claim through a mapping table) to a person in its directory and issues its own session for them — the same
 * session, tokens and audit (SignedIn, method oidc) as a password sign-in. Unknown or inactive people are refused.
 */
@Injectable()
export class OidcSignIn {
  private readonly logger = new Logger('OidcSignIn');
  private readonly settings: OidcSettings | null;
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly signIn: SignInService,
    private readonly credentials: CredentialsStore,
    private readonly directory: DirectoryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DUBAN_CONFIG) config: DubanConfig,
  ) {
    this.settings = authSettings(config).oidc;
  }

  get postLoginRedirect(): string | null {
    return this.settings?.postLoginRedirect ?? null;
  }

  private configuration(s: OidcSettings): Promise<oidc.Configuration> {
    this.discovered ??= oidc
      .discovery(new URL(s.issuer), s.clientId, { client_secret: s.clientSecret }, oidc.ClientSecretBasic(s.clientSecret), {
        execute: s.allowInsecureIssuer ? [oidc.allowInsecureRequests] : [],
      })
      .catch((err) => {
        // Try again on the next request: the provider may only have been away.
        this.discovered = null;
        this.logger.error({ err: (err as Error).message, issuer: s.issuer }, 'OpenID provider discovery failed');
        throw new UnauthorizedException({ code: 'OIDC_UNAVAILABLE', message: '统一身份认证服务暂不可用 (OIDC_UNAVAILABLE)' });
      });
    return this.discovered;
  }

  /** The provider's authorization URL for a new request; its PKCE verifier and nonce are kept under its state. */
  async start(): Promise<URL> {
    const s = this.settings;
    if (!s) throw notConfigured();
    const config = await this.configuration(s);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const now = this.clock.now();
    await this.credentials.saveOidcRequest(state, codeVerifier, nonce, now, new Date(now.getTime() - REQUEST_TTL_MS));
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: s.redirectUri,
      scope: s.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
  }

  /** Finishes the flow for the callback's query string and signs the mapped person in. */
  async callback(query: Record<string, unknown>, origin: RequestOrigin): Promise<SignInResult> {
    const s = this.settings;
    if (!s) throw notConfigured();
    const state = typeof query.state === 'string' ? query.state : '';
    const request = state ? await this.credentials.takeOidcRequest(state, new Date(this.clock.now().getTime() - REQUEST_TTL_MS)) : null;
    if (!request) {
      throw new BadRequestException({ code: 'OIDC_STATE_INVALID', field: 'state', message: '字段 state 无效：登录请求不存在、已使用或已过期，请重新登录 (OIDC_STATE_INVALID)' });
    }
    if (typeof query.error === 'string') {
      throw new UnauthorizedException({ code: 'OIDC_REFUSED', message: '统一身份认证未通过 (OIDC_REFUSED)' });
    }
    const config = await this.configuration(s);
    const current = new URL(s.redirectUri);
    for (const [k, v] of Object.entries(query)) if (typeof v === 'string') current.searchParams.set(k, v);
    let value: unknown;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      value = claims[s.claim];
      if (value === undefined && tokens.access_token) value = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub))[s.claim];
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, correlationId: origin.correlationId }, 'OpenID code exchange refused');
      throw new UnauthorizedException({ code: 'OIDC_FAILED', message: '统一身份认证结果无法验证，请重新登录 (OIDC_FAILED)' });
    }
    const userId = typeof value === 'string' && value ? await this.personFor(s, value) : null;
    const person = userId ? await this.directory.user(userId) : null;
    if (!person || !person.active) {
      // The claim's value is the provider's identifier of a person: kept out of the log, the refusal is not.
      this.logger.warn({ correlationId: origin.correlationId, userId: person?.userId ?? null }, 'single sign-on refused: no active person for the claim');
    }
    if (!person) {
      throw new ForbiddenException({ code: 'OIDC_PERSON_UNKNOWN', rule: 'OIDC_PERSON_UNKNOWN', message: '统一身份认证账号未关联到督办人员目录中的任何人，请联系管理员 (OIDC_PERSON_UNKNOWN)' });
    }
    if (!person.active) {
      throw new ForbiddenException({ code: 'USER_INACTIVE', rule: 'USER_INACTIVE', message: '此人已停用，不能登录 (USER_INACTIVE)' });
    }
    return this.signIn.startSession(person, 'oidc', false, origin);
  }

  /** The configured table first; else the claim names a local account by phone or login. */
  private async personFor(s: OidcSettings, value: string): Promise<string | null> {
    if (s.subjectMap) return Object.prototype.hasOwnProperty.call(s.subjectMap, value) ? s.subjectMap[value] : null;
    const parsed = parseLogin(value);
    const account = parsed.kind === 'phone' ? await this.credentials.byPhone(parsed.value) : await this.credentials.byLogin(parsed.value);
    return account?.userId ?? null;
  }
}
