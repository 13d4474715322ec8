import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { UNIT_KINDS, type UnitKind } from '@duban/domain';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { OneOf, Text, UnitId } from '../../http/dto-fields';
import { CommandResponses } from '../../openapi/api-responses';
import { directoryIdPipe } from '../directory-access';
import { DirectoryWriter } from '../directory-writer';

const Reason = () => Text('变更原因（记入目录审计记录）', 500);
const OptionalParent = (description: string) =>
  UnitId(description, true);

export class CreateUnitDto {
  @UnitId('单位编号（小写字母、数字、连字符）') unitId!: string;
  @Text('单位名称', 100) name!: string;
  @OneOf(UNIT_KINDS, '单位类型：县巩固办、乡镇/街道、村/社区、县直部门、督查组、县纪委监委') kind!: UnitKind;
  @OptionalParent('上级单位编号（村/社区须隶属乡镇/街道；督查组可隶属县巩固办）') parentId?: string | null;

  @ApiPropertyOptional({ description: '统计用区划代码（12 位，仅乡镇/街道、村/社区）', example: '411625100000' })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @Matches(/^\d{12}$/, { message: '必须是 12 位数字' })
  divisionCode?: string | null;

  @Reason() reason!: string;
}

export class RenameUnitDto {
  @Text('新名称', 100) name!: string;
  @Reason() reason!: string;
}

export class MoveUnitDto {
  @OptionalParent('新的上级单位编号；不给或 null 表示县级顶层') parentId?: string | null;
  @Reason() reason!: string;
}

export class AssignLeaderDto {
  @ApiPropertyOptional({ description: '组长的人员编号；null 表示取消组长', example: 'insp-1', nullable: true })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,63}$/, { message: '编号只能包含小写字母、数字和连字符' })
  leaderUserId?: string | null;

  @Reason() reason!: string;
}

export class ReasonDto {
  @Reason() reason!: string;
}

/** 单位管理（管理员）: every change is a signed event on the unit's stream, with its reason. */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('directory/units')
export class ManageUnitsController {
  constructor(private readonly writer: DirectoryWriter) {}

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult', { status: 201 })
  @ApiOperation({ summary: '新建单位（管理员）：乡镇/街道、村/社区、县直部门、督查组等', operationId: 'createUnit' })
  create(@Body() dto: CreateUnitDto, @CommandCtx() ctx: CommandContext) {
    const data = {
      unitId: dto.unitId,
      name: dto.name,
      kind: dto.kind,
      parentId: dto.parentId ?? null,
      divisionCode: dto.divisionCode ?? null,
      reason: dto.reason,
    };
    return this.writer.handle({ type: 'CreateUnit', data }, ctx.actor, ctx);
  }

  @Post(':unitId/rename')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult')
  @ApiOperation({ summary: '单位更名（管理员）', operationId: 'renameUnit' })
  rename(@Param('unitId', directoryIdPipe('unitId')) unitId: string, @Body() dto: RenameUnitDto, @CommandCtx() ctx: CommandContext) {
    return this.writer.handle({ type: 'RenameUnit', data: { unitId, name: dto.name, reason: dto.reason } }, ctx.actor, ctx);
  }

  @Post(':unitId/move')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult')
  @ApiOperation({ summary: '调整上级单位（管理员）：不能移到自己或下级之下', operationId: 'moveUnit' })
  move(@Param('unitId', directoryIdPipe('unitId')) unitId: string, @Body() dto: MoveUnitDto, @CommandCtx() ctx: CommandContext) {
    return this.writer.handle({ type: 'MoveUnit', data: { unitId, parentId: dto.parentId ?? null, reason: dto.reason } }, ctx.actor, ctx);
  }

  @Post(':unitId/leader')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult')
  @ApiOperation({ summary: '指定督查组组长（管理员）：须是本组的督查人员', operationId: 'assignUnitLeader' })
  leader(@Param('unitId', directoryIdPipe('unitId')) unitId: string, @Body() dto: AssignLeaderDto, @CommandCtx() ctx: CommandContext) {
    return this.writer.handle(
      { type: 'AssignUnitLeader', data: { unitId, leaderUserId: dto.leaderUserId ?? null, reason: dto.reason } },
      ctx.actor,
      ctx,
    );
  }

  @Post(':unitId/deactivate')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('DirectoryCommandResult')
  @ApiOperation({ summary: '停用单位（管理员）：单位从不删除；仍有在岗人员或在用下级单位时拒绝', operationId: 'deactivateUnit' })
  deactivate(@Param('unitId', directoryIdPipe('unitId')) unitId: string, @Body() dto: ReasonDto, @CommandCtx() ctx: CommandContext) {
    return this.writer.handle({ type: 'DeactivateUnit', data: { unitId, reason: dto.reason } }, ctx.actor, ctx);
  }
}
