import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { type Actor, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@duban/domain';
import { OperationResponses } from '../../openapi/api-responses';
import { CurrentActor, CurrentSession, OwnAccount } from '../auth';
import { Origin } from '../request-origin';
import { type RequestOrigin, SignInService } from '../sign-in.service';

export class ChangePasswordDto {
  @ApiProperty({ format: 'password', description: '当前密码（首次登录或重置后为临时密码）' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `不能超过 ${PASSWORD_MAX_LENGTH} 个字符` })
  currentPassword!: string;

  // The rules themselves (length, not the login name, …) are the domain's checkPasswordRules, named in the 400.
  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description: '新密码：至少 10 个字符，不含登录名或手机号，至少两类字符' })
  @IsString({ message: '必须是文本' })
  newPassword!: string;
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class ChangePasswordController {
  constructor(private readonly signIn: SignInService) {}

  @Post('change-password')
  @OwnAccount()
  @HttpCode(200)
  @OperationResponses('PasswordChanged', [400, 401, 404, 413, 415, 503])
  @ApiOperation({ summary: '修改本人密码（首次登录和重置后必须先修改）；其他设备上的会话随之注销', operationId: 'changePassword' })
  handle(@Body() dto: ChangePasswordDto, @CurrentActor() actor: Actor, @CurrentSession() sessionId: string | null, @Origin() origin: RequestOrigin) {
    return this.signIn.changePassword(actor, sessionId, dto.currentPassword, dto.newPassword, origin);
  }
}
