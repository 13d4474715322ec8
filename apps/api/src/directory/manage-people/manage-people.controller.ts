import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { PERSON_ROLES, type PersonRole } from '@duban/domain';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { OneOf, Text, UnitId } from '../../http/dto-fields';
import { CommandResponses } from '../../openapi/api-responses';
import { directoryIdPipe } from '../directory-access';
import { DirectoryWriter } from '../directory-writer';
import { ReasonDto } from '../manage-units/manage-units.controller';

const Reason = () => Text('变更原因（记入目录审计记录）', 500);
const ROLE_TEXT = '角色：inspector 督查组成员、supervisor 督查办、unit_official 乡镇/部门责任人、discipline_inspector 纪委监委、admin 系统管理员';

export class RegisterPersonDto {
  @UnitId('人员编号（小写字母、数字、连字符）') personId!: string;
  @Text('姓名', 50) name!: string;

  @ApiProperty({ description: '大陆手机号（11 位；可带 +86、空格、连字符）', example: '13800138000' })
  @IsString({ message: '必须是文本' })
  @MaxLength(20, { message: '不能超过 20 个字符' })
  phone!: string;

  @Text('职务', 100, true) title?: string;
  @UnitId('所在单位编号') unitId!: string;
  @OneOf(PERSON_ROLES, ROLE_TEXT) role!: PersonRole;
  @Reason() reason!: string;
}

export class MovePersonDto {
  @UnitId('调入单位编号') unitId!: string;
  @Text('新职务（不给则不变）', 100, true) title?: string;
  @Reason() reason!: string;
}

export class ChangeRoleDto {
  @OneOf(PERSON_ROLES, ROLE_TEXT) role!: PersonRole;
  @Reason() reason!: string;
}

/**
 * 人员管理（管理员）: every change is a signed event on the person's stream. A move, a role change or a deactivation
 * makes the person's old tokens useless at once (the guard compares them with the directory on every request).
 */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('directory/people')
export class ManagePeopleController {
  constructor(private readonly writer: DirectoryWriter) {}

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult', { status: 201 })
  @ApiOperation({ summary: '登记人员（管理员）：姓名、手机号、职务、单位、角色', operationId: 'registerPerson' })
  register(@Body() dto: RegisterPersonDto, @CommandCtx() ctx: CommandContext) {
    const data = {
      personId: dto.personId,
      name: dto.name,
      phone: dto.phone,
      title: dto.title ?? '',
      unitId: dto.unitId,
      role: dto.role,
      reason: dto.reason,
    };
    return this.writer.handle({ type: 'RegisterPerson', data }, ctx.actor, ctx);
  }

  @Post(':personId/move')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult')
  @ApiOperation({ summary: '调动人员到另一单位（管理员）；此前签字仍记在原单位名下', operationId: 'movePerson' })
  move(@Param('personId', directoryIdPipe('personId')) personId: string, @Body() dto: MovePersonDto, @CommandCtx() ctx: CommandContext) {
    const data = { personId, unitId: dto.unitId, reason: dto.reason, ...(dto.title !== undefined ? { title: dto.title } : {}) };
    return this.writer.handle({ type: 'MovePerson', data }, ctx.actor, ctx);
  }

  @Post(':personId/role')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult')
  @ApiOperation({ summary: '变更人员角色（管理员）', operationId: 'changePersonRole' })
  role(@Param('personId', directoryIdPipe('personId')) personId: string, @Body() dto: ChangeRoleDto, @CommandCtx() ctx: CommandContext) {
    return this.writer.handle({ type: 'ChangePersonRole', data: { personId, role: dto.role, reason: dto.reason } }, ctx.actor, ctx);
  }

  @Post(':personId/deactivate')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult')
  @ApiOperation({ summary: '停用人员（管理员）：从不删除；其令牌立即失效', operationId: 'deactivatePerson' })
  deactivate(@Param('personId', directoryIdPipe('personId')) personId: string, @Body() dto: ReasonDto, @CommandCtx() ctx: CommandContext) {
    return this.writer.handle({ type: 'DeactivatePerson', data: { personId, reason: dto.reason } }, ctx.actor, ctx);
  }

  @Post(':personId/reactivate')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult')
  @ApiOperation({ summary: '恢复人员（管理员）', operationId: 'reactivatePerson' })
  reactivate(@Param('personId', directoryIdPipe('personId')) personId: string, @Body() dto: ReasonDto, @CommandCtx() ctx: CommandContext) {
    return this.writer.handle({ type: 'ReactivatePerson', data: { personId, reason: dto.reason } }, ctx.actor, ctx);
  }
}
