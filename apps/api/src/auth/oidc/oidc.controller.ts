import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperationResponses, RedirectResponses } from '../../openapi/api-responses';
import { Public } from '../auth';
import { Origin } from '../request-origin';
import type { RequestOrigin, SignInResult } from '../sign-in.service';
import { OidcSignIn } from './oidc-sign-in';

/** Express's response, as far as these two handlers use it (the API does not depend on Express's typings). */
interface Response {
  redirect(status: number, url: string): void;
  status(code: number): { json(body: unknown): void };
}

@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(private readonly oidc: OidcSignIn) {}

  @Get('start')
  @Public()
  @RedirectResponses('转到统一身份认证登录页', [404, 401, 503])
  @ApiOperation({ summary: '单点登录开始：转到省统一身份认证（OpenID Connect，PKCE）；未配置时 404', operationId: 'startOidcSignIn' })
  async start(@Res() res: Response): Promise<void> {
    res.redirect(302, (await this.oidc.start()).toString());
  }

  @Get('callback')
  @Public()
  @OperationResponses('SignInResult', [400, 401, 403, 404, 503])
  @RedirectResponses('配置了 DUBAN_OIDC_POST_LOGIN_REDIRECT 时转回网页端，令牌在 URL 片段中', [])
  @ApiOperation({ summary: '单点登录回调：验证授权码、state、nonce，为对应的在册人员签发督办令牌', operationId: 'finishOidcSignIn' })
  async callback(@Query() query: Record<string, unknown>, @Origin() origin: RequestOrigin, @Res() res: Response): Promise<void> {
    const result: SignInResult = await this.oidc.callback(query, origin);
    const back = this.oidc.postLoginRedirect;
    if (!back) {
      res.status(200).json(result);
      return;
    }
    const fragment = new URLSearchParams({
      accessToken: result.accessToken,
      accessTokenExpiresAt: result.accessTokenExpiresAt,
      refreshToken: result.refreshToken,
    });
    res.redirect(302, `${back}#${fragment.toString()}`);
  }
}
