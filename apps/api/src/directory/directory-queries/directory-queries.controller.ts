import { Controller, Get, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Actor, InvalidInputError, isInstant, NotFoundError, PERSON_ROLES, UNIT_KINDS, type UnitKind } from '@duban/domain';
import { DirectoryViewsQuery } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { OneOf, UnitId } from '../../http/dto-fields';
import { PagingDto } from '../../ledgers/shared/paging.dto';
import { QueryResponses } from '../../openapi/api-responses';
import { DIRECTORY_READERS, directoryIdPipe, requireDirectoryRole } from '../directory-access';

const Flag = (description: string) => (target: object, key: string) => {
  ApiPropertyOptional({ description, type: Boolean })(target, key);
  IsOptional()(target, key);
  Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))(target, key);
  IsBoolean({ message: '必须是 true 或 false' })(target, key);
};
const Search = () => (target: object, key: string) => {
  ApiPropertyOptional({ description: '名称（人员：姓名、职务、手机号）中包含的文字', maxLength: 50 })(target, key);
  IsOptional()(target, key);
  IsString({ message: '必须是文本' })(target, key);
  MaxLength(50, { message: '不能超过 50 个字符' })(target, key);
};
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const Instant = (description: string) => (target: object, key: string) => {
  ApiPropertyOptional({ description, example: '2026-11-23T09:00:00+08:00' })(target, key);
  IsOptional()(target, key);
  IsString({ message: '必须是带时区的 ISO 8601 时刻' })(target, key);
  Matches(INSTANT, { message: '必须是带时区的 ISO 8601 时刻' })(target, key);
};

export class UnitListDto extends PagingDto {
  @OneOf(UNIT_KINDS, '单位类型', true) kind?: UnitKind;
  @UnitId('上级单位编号', true) parentId?: string;
  @Flag('只看在用（true）或已停用（false）') active?: boolean;
  @Search() q?: string;
}

export class PersonListDto extends PagingDto {
  @UnitId('所在单位编号', true) unitId?: string;
  @OneOf(PERSON_ROLES, '角色', true) role?: string;
  @Flag('只看在岗（true）或已停用（false）') active?: boolean;
  @Search() q?: string;
}

export class TreeDto {
  @Flag('包括已停用的单位') includeInactive?: boolean;
}

export class MembershipDto {
  @Instant('查询某一时刻所在的单位与角色') at?: string;
}

export class ChangeListDto extends PagingDto {
  @UnitId('单位或人员编号', true) subjectId?: string;
  @UnitId('签字人（管理员）编号', true) signerId?: string;
  @OneOf(['unit', 'person'], '单位或人员的变更', true) subjectKind?: 'unit' | 'person';
  @Instant('起始时刻（含）') from?: string;
  @Instant('截止时刻（不含）') to?: string;
}

export class DirectoryQueryMessage {
  constructor(
    readonly what:
      | { kind: 'units'; filter: UnitListDto }
      | { kind: 'people'; filter: PersonListDto }
      | { kind: 'tree'; includeInactive: boolean }
      | { kind: 'memberships'; personId: string; at?: string }
      | { kind: 'changes'; filter: ChangeListDto },
    readonly actor: Actor,
  ) {}
}

@QueryHandler(DirectoryQueryMessage)
export class DirectoryQueryHandler implements IQueryHandler<DirectoryQueryMessage> {
  constructor(private readonly views: DirectoryViewsQuery) {}

  async execute({ what, actor }: DirectoryQueryMessage): Promise<unknown> {
    requireDirectoryRole(actor, DIRECTORY_READERS, '查看单位人员目录');
    switch (what.kind) {
      case 'units':
        return this.views.units(what.filter);
      case 'people':
        return this.views.people(what.filter);
      case 'tree':
        return this.views.tree({ includeInactive: what.includeInactive });
      case 'memberships': {
        const memberships = await this.views.memberships(what.personId);
        if (!memberships) throw new NotFoundError('PERSON_NOT_FOUND', `人员 ${what.personId} 不存在`);
        const at = what.at;
        if (at !== undefined && !isInstant(at)) throw new InvalidInputError('INVALID_INSTANT', 'at', `时间无效：${at}`);
        return {
          userId: what.personId,
          memberships,
          ...(at !== undefined ? { at: new Date(Date.parse(at)).toISOString(), membershipAt: await this.views.membershipAt(what.personId, at) } : {}),
        };
      }
      case 'changes': {
        const f = what.filter;
        if (f.from && f.to && Date.parse(f.from) > Date.parse(f.to)) {
          throw new InvalidInputError('INVALID_DATE_RANGE', 'to', `截止时刻 ${f.to} 早于起始时刻 ${f.from}`);
        }
        if ((f.from && Number.isNaN(Date.parse(f.from))) || (f.to && Number.isNaN(Date.parse(f.to)))) {
          throw new InvalidInputError('INVALID_INSTANT', f.from && Number.isNaN(Date.parse(f.from)) ? 'from' : 'to', '时间无效');
        }
        return this.views.changes(f);
      }
      default: {
        const unknown: never = what;
        throw new Error(`unknown directory query ${String(unknown)}`);
      }
    }
  }
}

/** 目录查询: for administrators and the discipline inspector (its audit trail says who changed what, when, why). */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('directory')
export class DirectoryQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get('units')
  @QueryResponses('DirectoryUnitPage', { without: [404] })
  @ApiOperation({ summary: '单位列表（管理员、纪委监委）：按类型、上级、在用与否、名称筛选，分页', operationId: 'listDirectoryUnits' })
  units(@Query() filter: UnitListDto, @CurrentActor() actor: Actor) {
    return this.queries.execute(new DirectoryQueryMessage({ kind: 'units', filter }, actor));
  }

  @Get('units/tree')
  @QueryResponses('UnitTree', { without: [404] })
  @ApiOperation({ summary: '单位树（管理员、纪委监委）：县级单位、乡镇/街道下的村/社区、县巩固办下的督查组', operationId: 'getUnitTree' })
  tree(@Query() dto: TreeDto, @CurrentActor() actor: Actor) {
    return this.queries.execute(new DirectoryQueryMessage({ kind: 'tree', includeInactive: dto.includeInactive === true }, actor));
  }

  @Get('people')
  @QueryResponses('DirectoryPersonPage', { without: [404] })
  @ApiOperation({ summary: '人员列表（管理员、纪委监委）：按单位、角色、在岗与否、姓名筛选，分页', operationId: 'listDirectoryPeople' })
  people(@Query() filter: PersonListDto, @CurrentActor() actor: Actor) {
    return this.queries.execute(new DirectoryQueryMessage({ kind: 'people', filter }, actor));
  }

  @Get('people/:personId/memberships')
  @QueryResponses('PersonMemberships')
  @ApiOperation({ summary: '人员任职历史（管理员、纪委监委）；给 at 时答某一时刻所在的单位与角色', operationId: 'getPersonMemberships' })
  memberships(@Param('personId', directoryIdPipe('personId')) personId: string, @Query() dto: MembershipDto, @CurrentActor() actor: Actor) {
    return this.queries.execute(new DirectoryQueryMessage({ kind: 'memberships', personId, at: dto.at }, actor));
  }

  @Get('changes')
  @QueryResponses('DirectoryChangePage', { without: [404] })
  @ApiOperation({ summary: '目录审计记录（管理员、纪委监委）：谁在何时因何改了什么（改前 → 改后）', operationId: 'listDirectoryChanges' })
  changes(@Query() filter: ChangeListDto, @CurrentActor() actor: Actor) {
    return this.queries.execute(new DirectoryQueryMessage({ kind: 'changes', filter }, actor));
  }
}
