import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { requireRole } from '@duban/domain';
import { CommandCtx, type CommandContext, CommandHeaders } from '../../http/request-context';
import { OperationResponses } from '../../openapi/api-responses';
import { type IssuedPassword, SignInService } from '../sign-in.service';

export class CreateAccountDto {
  @ApiProperty({ description: '人员目录中的人员编号', example: 'insp-1' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(64, { message: '不能超过 64 个字符' })
  userId!: string;

  @ApiProperty({ description: '登录名：字母开头，3–32 位小写字母、数字、点、下划线、连字符', example: 'zhangdc' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(32, { message: '不能超过 32 个字符' })
  login!: string;

  @ApiPropertyOptional({ description: '手机号（11 位），也可用来登录', example: '13800000001' })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @MaxLength(20, { message: '不能超过 20 个字符' })
  phone?: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: '重置理由（记入审计轨迹）', example: '本人遗忘密码，电话核实身份' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(200, { message: '不能超过 200 个字符' })
  reason!: string;
}

/** The administrator opens and resets accounts; each answer shows a temporary password once, to be changed at sign-in. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly signIn: SignInService) {}

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @OperationResponses('IssuedPassword', [400, 401, 403, 404, 409, 413, 415, 503], { status: 201, description: '已开设；临时密码只显示这一次' })
  @ApiOperation({ summary: '为人员开设登录账号（管理员）：登录名、可选手机号；返回一次性临时密码', operationId: 'createAccount' })
  create(@Body() dto: CreateAccountDto, @CommandCtx() ctx: CommandContext): Promise<IssuedPassword> {
    requireRole(ctx.actor, ['admin']);
    return this.signIn.createAccount(ctx.actor, { userId: dto.userId, login: dto.login, phone: dto.phone ?? null }, ctx);
  }

  @Post(':userId/reset-password')
  @HttpCode(200)
  @CommandHeaders()
  @OperationResponses('IssuedPassword', [400, 401, 403, 404, 409, 413, 415, 503], { description: '已重置；临时密码只显示这一次，原会话全部注销' })
  @ApiOperation({ summary: '重置密码（管理员）：返回一次性临时密码，持有人登录后须先修改；其全部会话立即注销', operationId: 'resetPassword' })
  reset(@Param('userId') userId: string, @Body() dto: ResetPasswordDto, @CommandCtx() ctx: CommandContext): Promise<IssuedPassword> {
    requireRole(ctx.actor, ['admin']);
    return this.signIn.resetPassword(ctx.actor, userId, dto.reason, ctx);
  }
}
