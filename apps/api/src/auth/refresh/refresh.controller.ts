import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OperationResponses } from '../../openapi/api-responses';
import { Public } from '../auth';
import { Origin } from '../request-origin';
import { type RequestOrigin, type SignInResult, SignInService } from '../sign-in.service';

export class RefreshDto {
  @ApiProperty({ description: '上次登录或刷新得到的刷新令牌（只能用一次）' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(256, { message: '不能超过 256 个字符' })
  refreshToken!: string;
}

@ApiTags('auth')
@Controller('auth')
export class RefreshController {
  constructor(private readonly signIn: SignInService) {}

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @OperationResponses('SignInResult', [400, 401, 413, 415, 503])
  @ApiOperation({
    summary: '刷新：换一对新令牌，旧刷新令牌作废；已用过的刷新令牌再次出现则注销整个会话',
    operationId: 'refreshSession',
  })
  handle(@Body() dto: RefreshDto, @Origin() origin: RequestOrigin): Promise<SignInResult> {
    return this.signIn.refresh(dto.refreshToken, origin);
  }
}
