import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, ForbiddenError } from '@duban/domain';
import { AccountAuditQuery, type AccountAuditEntry, type Page } from '@duban/read-models';
import { DirectoryRepository } from '../../directory/directory.repository';
import { PagingDto } from '../../ledgers/shared/paging.dto';
import { notFound } from '../../ledgers/shared/scope';
import { QueryResponses } from '../../openapi/api-responses';
import { CurrentActor } from '../auth';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('accounts')
export class AccountAuditController {
  constructor(
    private readonly trail: AccountAuditQuery,
    private readonly directory: DirectoryRepository,
  ) {}

  @Get(':userId/audit-trail')
  @QueryResponses('AccountAuditTrail')
  @ApiOperation({
    summary: '登录审计轨迹（纪委监委、管理员；本人可看自己的）：开设、登录、失败、锁定、改密、重置、注销',
    operationId: 'getAccountAuditTrail',
  })
  async handle(@Param('userId') userId: string, @Query() paging: PagingDto, @CurrentActor() actor: Actor): Promise<Page<AccountAuditEntry>> {
    if (!['discipline_inspector', 'admin'].includes(actor.role) && actor.userId !== userId) {
      throw new ForbiddenError('ROLE_REQUIRED', 'ROLE_REQUIRED', '登录审计轨迹仅限纪委监委和系统管理员查看');
    }
    if (!(await this.directory.user(userId))) return notFound('人员');
    return this.trail.forPerson(userId, paging);
  }
}
