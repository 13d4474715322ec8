import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '@duban/domain';
import { OperationResponses } from '../../openapi/api-responses';
import { Public } from '../auth';
import { Origin } from '../request-origin';
import { type RequestOrigin, type SignInResult, SignInService } from '../sign-in.service';

export class SignInDto {
  @ApiProperty({ description: '登录名或手机号', example: 'zhangsan' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(64, { message: '不能超过 64 个字符' })
  login!: string;

  @ApiProperty({ description: '密码', format: 'password' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `不能超过 ${PASSWORD_MAX_LENGTH} 个字符` })
  password!: string;
}

@ApiTags('auth')
@Controller('auth')
export class SignInController {
  constructor(private readonly signIn: SignInService) {}

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  @OperationResponses('SignInResult', [400, 401, 413, 415, 429, 503])
  @ApiOperation({
    summary: '登录：登录名或手机号 + 密码；失败过多按账号和来源地址锁定（429，Retry-After）',
    operationId: 'signIn',
  })
  handle(@Body() dto: SignInDto, @Origin() origin: RequestOrigin): Promise<SignInResult> {
    return this.signIn.signIn(dto.login, dto.password, origin);
  }
}
