import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@duban/domain';
import { OperationResponses } from '../../openapi/api-responses';
import { CurrentActor, CurrentSession, OwnAccount } from '../auth';
import { Origin } from '../request-origin';
import { type RequestOrigin, SignInService } from '../sign-in.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class SignOutController {
  constructor(private readonly signIn: SignInService) {}

  @Post('sign-out')
  @OwnAccount()
  @HttpCode(200)
  @OperationResponses('SignOutResult', [400, 401, 503])
  @ApiOperation({ summary: '注销：结束本会话，其访问令牌与刷新令牌立即失效', operationId: 'signOut' })
  handle(@CurrentActor() actor: Actor, @CurrentSession() sessionId: string | null, @Origin() origin: RequestOrigin) {
    return this.signIn.signOut(actor, sessionId, origin);
  }
}
