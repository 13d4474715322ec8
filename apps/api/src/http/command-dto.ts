import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';

/** Every command may name the stream version it was decided on; a stale one is a 409, never an overwrite. */
export class CommandDto {
  @ApiPropertyOptional({ description: '期望的流版本（乐观并发）；不符时返回 409', minimum: 0 })
  @IsOptional()
  @IsInt({ message: '必须是整数' })
  @Min(0, { message: '不能小于 0' })
  expectedVersion?: number;
}
