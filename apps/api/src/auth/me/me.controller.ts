import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@duban/domain';
import { OperationResponses } from '../../openapi/api-responses';
import { CurrentActor, CurrentSession, OwnAccount } from '../auth';
import { CredentialsStore } from '../credentials.store';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class MeController {
  constructor(private readonly credentials: CredentialsStore) {}

  @Get('me')
  @OwnAccount()
  @OperationResponses('CurrentAccount', [401, 503])
  @ApiOperation({ summary: '当前登录人：人员目录中的姓名、单位、角色，是否须改密码', operationId: 'getCurrentAccount' })
  async handle(@CurrentActor() actor: Actor, @CurrentSession() sessionId: string | null) {
    const credential = await this.credentials.byUser(actor.userId);
    return {
      person: { userId: actor.userId, name: actor.name, unitId: actor.unitId, role: actor.role },
      sessionId,
      // A development token (no session) is not held to a pending change; the account still says so.
      mustChangePassword: credential?.mustChangePassword ?? false,
      account: credential ? { login: credential.login, phone: credential.phone } : null,
    };
  }
}
