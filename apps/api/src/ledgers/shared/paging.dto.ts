import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryWholeNumber } from '../../http/dto-fields';

/**
 * Far past any county's ledger (200 million rows at the largest page size), yet small enough that the offset is
 * an exact integer; a page beyond the last row is an empty page, not an error.
 */
export const MAX_PAGE = 1_000_000;

/** Page through a ledger: 1-based page, at most 200 rows a page. */
export class PagingDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @QueryWholeNumber()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  @Max(MAX_PAGE, { message: `不能超过 ${MAX_PAGE}` })
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @QueryWholeNumber()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  @Max(200, { message: '不能超过 200' })
  pageSize?: number;
}
