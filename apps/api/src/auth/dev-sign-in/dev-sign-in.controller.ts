import { Body, Controller, Get, HttpCode, Module, NotFoundException, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { isPersonRole, ROLE_LABELS } from '@duban/domain';
import { DirectoryRepository } from '../../directory/directory.repository';
import { issueToken, Public } from '../auth';
import { ref } from '../../openapi/schema-dsl';

/** Twelve hours, as `npm run tokens` issues them: a working day without signing in again. */
const TOKEN_LIFETIME_S = 12 * 60 * 60;

/**
 * The development sign-in is for the demo county and tests only: a production deployment, or one that turns it off
 * (DUBAN_DEV_SIGN_IN=off), answers as if the route did not exist — never a hint that it could be switched on.
 */
export function devSignInEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production' && env.DUBAN_DEV_SIGN_IN !== 'off';
}

const notHere = () => new NotFoundException({ code: 'NOT_FOUND', message: '资源不存在 (NOT_FOUND)' });

export class DevSignInDto {
  @ApiProperty({ description: '人员目录中的用户编号', maxLength: 64 })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(64, { message: '不能超过 64 个字符' })
  userId!: string;
}

export interface SignedInPerson {
  userId: string;
  name: string;
  unitId: string;
  role: string;
}

/** The same shape as the password sign-in's answer, so the web app keeps one session type. */
export interface DevSignInResult {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: null;
  mustChangePassword: false;
  person: SignedInPerson;
}

export interface DevPeopleGroup {
  role: string;
  label: string;
  people: Array<{ userId: string; name: string; unitId: string; unitName: string; title: string }>;
}

const ROLE_ORDER = ['inspector', 'supervisor', 'unit_official', 'discipline_inspector', 'admin'];

@ApiTags('auth')
@Controller('auth')
export class DevSignInController {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly jwt: JwtService,
  ) {}

  @Get('dev-people')
  @Public()
  @ApiOperation({ summary: '开发登录：按角色列出人员目录中的在岗人员（生产环境不可用）', operationId: 'listDevPeople' })
  @ApiResponse({ status: 200, description: '按角色分组的在岗人员', schema: ref('DevPeople') })
  @ApiResponse({ status: 404, description: '生产环境或已关闭开发登录', schema: ref('ErrorBody') })
  @ApiResponse({ status: 503, description: '数据库暂不可用', schema: ref('ErrorBody') })
  async people(): Promise<DevPeopleGroup[]> {
    if (!devSignInEnabled()) throw notHere();
    const [users, units] = await Promise.all([this.directory.users(), this.directory.allUnitNames()]);
    const active = users.filter((u) => u.active && isPersonRole(u.role));
    return ROLE_ORDER.map((role) => ({
      role,
      label: ROLE_LABELS[role as keyof typeof ROLE_LABELS],
      people: active
        .filter((u) => u.role === role)
        .map((u) => ({ userId: u.userId, name: u.name, unitId: u.unitId, unitName: units.get(u.unitId) ?? u.unitId, title: u.title })),
    })).filter((g) => g.people.length > 0);
  }

  @Post('dev-sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '开发登录：以人员目录中的在岗人员身份登录（生产环境不可用）', operationId: 'devSignIn' })
  @ApiResponse({ status: 200, description: '访问令牌与登录人', schema: ref('DevSignInResult') })
  @ApiResponse({ status: 400, description: '输入无效：field 指明字段', schema: ref('ErrorBody') })
  @ApiResponse({ status: 404, description: '没有此在岗人员，或生产环境 / 已关闭开发登录', schema: ref('ErrorBody') })
  @ApiResponse({ status: 413, description: '请求体过大', schema: ref('ErrorBody') })
  @ApiResponse({ status: 415, description: '不支持的内容类型或字符集', schema: ref('ErrorBody') })
  @ApiResponse({ status: 503, description: '数据库暂不可用', schema: ref('ErrorBody') })
  async signIn(@Body() dto: DevSignInDto): Promise<DevSignInResult> {
    if (!devSignInEnabled()) throw notHere();
    const user = await this.directory.user(dto.userId);
    if (!user || !user.active || !isPersonRole(user.role)) {
      throw new NotFoundException({ code: 'UNKNOWN_USER', message: '人员目录中没有此在岗人员 (UNKNOWN_USER)' });
    }
    const person = { userId: user.userId, name: user.name, unitId: user.unitId, role: user.role };
    const accessToken = issueToken(this.jwt, person, `${TOKEN_LIFETIME_S}s`);
    const { exp } = this.jwt.decode(accessToken) as { exp: number };
    return {
      accessToken,
      accessTokenExpiresAt: new Date(exp * 1000).toISOString(),
      refreshToken: null,
      mustChangePassword: false,
      person,
    };
  }
}

@Module({ controllers: [DevSignInController] })
export class DevSignInModule {}
