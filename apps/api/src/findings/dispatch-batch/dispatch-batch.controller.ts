import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { Text, WholeNumber, UnitId } from '../../http/dto-fields';
import { DispatchBatchResult, FindingCommands } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

export class DispatchBatchDto {
  @ApiProperty({ description: '同一份督办通知书交办的问题编号（1–100 个，同一专项行动）', type: [String] })
  @IsArray({ message: '必须是数组' })
  @ArrayMinSize(1, { message: '至少 1 项' })
  @ArrayMaxSize(100, { message: '至多 100 项' })
  @ArrayUnique({ message: '问题编号不能重复' })
  @IsUUID('all', { each: true, message: '每项必须是 UUID' })
  findingIds!: string[];
  @UnitId('责任单位编号（乡镇或县直部门）')
  unitId!: string;
  @WholeNumber('整改期限（工作日）；缺省按各问题严重程度', 1, 250, true)
  deadlineWorkdays?: number;
  @Text('交办要求', 2000, true)
  note?: string;
}

@ApiTags('findings')
@ApiBearerAuth()
@Controller('dispatch-notices')
export class DispatchBatchController {
  constructor(private readonly findings: FindingCommands) {}

  @Post()
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('DispatchBatchResult')
  @ApiOperation({ summary: '批量交办：多个问题以一份督办通知书交办同一责任单位（全部成功或全部不变）', operationId: 'dispatchBatch' })
  handle(@Body() dto: DispatchBatchDto, @CommandCtx() ctx: CommandContext): Promise<DispatchBatchResult> {
    const findingIds = dto.findingIds.map((id) => id.toLowerCase());
    const data = { unitId: dto.unitId, deadlineWorkdays: dto.deadlineWorkdays, note: dto.note };
    return this.findings.dispatchBatch({ type: 'DispatchFindings', findingIds, data }, ctx.actor, ctx);
  }
}
