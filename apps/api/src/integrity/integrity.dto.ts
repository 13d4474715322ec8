import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { QueryWholeNumber } from '../http/dto-fields';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

export class InclusionProofQueryDto {
  @ApiProperty({ description: '事件编号（UUID）' })
  @IsString({ message: '必须是文本' })
  @Matches(UUID, { message: '必须是 UUID' })
  eventId!: string;

  @ApiPropertyOptional({ description: '签名检查点的树大小；省略时用最新检查点', minimum: 1 })
  @IsOptional()
  @QueryWholeNumber()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  @Max(MAX_SIZE, { message: '过大' })
  treeSize?: number;
}

export class ConsistencyProofQueryDto {
  @ApiProperty({ description: '旧检查点的树大小（检查人员保存的那个）', minimum: 1 })
  @QueryWholeNumber()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  @Max(MAX_SIZE, { message: '过大' })
  from!: number;

  @ApiProperty({ description: '新检查点的树大小', minimum: 1 })
  @QueryWholeNumber()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  @Max(MAX_SIZE, { message: '过大' })
  to!: number;
}

export class CheckpointListQueryDto {
  @ApiPropertyOptional({ description: '最多返回多少个（新的在前）', minimum: 1, maximum: 500 })
  @IsOptional()
  @QueryWholeNumber()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  @Max(500, { message: '不能超过 500' })
  limit?: number;

  @ApiPropertyOptional({ description: '翻页：只返回树大小小于此值的检查点', minimum: 1 })
  @IsOptional()
  @QueryWholeNumber()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  @Max(MAX_SIZE, { message: '过大' })
  beforeSize?: number;
}
