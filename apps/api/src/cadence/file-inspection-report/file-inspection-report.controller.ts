import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { LocalDateField, Text, UnitId, WholeNumber } from '../../http/dto-fields';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { InspectionCommands, InspectionReportResult } from '@duban/application';
import { CommandResponses } from '../../openapi/api-responses';

export class FileInspectionReportDto {
  @UnitId('专项行动编号')
  campaignId!: string;

  @UnitId('督查组（单位编号）；缺省为签字人所在督查组，只能是本组', true)
  teamId?: string;

  @LocalDateField('督查日期（北京时间）；缺省为今天', true)
  date?: string;

  @WholeNumber('当日走访农户数', 0, 10_000)
  householdsVisited!: number;

  @WholeNumber('当日走访单位数', 0, 10_000)
  unitsVisited!: number;

  @ApiProperty({ description: '当日发现并记录的问题编号（可为空列表，同一专项行动）', type: [String], maxItems: 500 })
  @IsArray({ message: '必须是数组' })
  @ArrayMaxSize(500, { message: '至多 500 项' })
  @ArrayUnique({ message: '问题编号不能重复' })
  @IsUUID('all', { each: true, message: '每项必须是 UUID' })
  findingIds!: string[];

  @Text('督查情况（当日工作小结）', 4000)
  summary!: string;
}

@ApiTags('cadence')
@ApiBearerAuth()
@Controller('inspection-reports')
export class FileInspectionReportController {
  constructor(private readonly reports: InspectionCommands) {}

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @CommandResponses('InspectionReportResult', { status: 201 })
  @ApiOperation({
    summary: '报送日督查报告（督查组成员为本组签字；每组每日一份，截止时间后报送记为迟报）',
    operationId: 'fileInspectionReport',
  })
  handle(@Body() dto: FileInspectionReportDto, @CommandCtx() ctx: CommandContext): Promise<InspectionReportResult> {
    const data = {
      campaignId: dto.campaignId,
      teamId: dto.teamId,
      date: dto.date,
      householdsVisited: dto.householdsVisited,
      unitsVisited: dto.unitsVisited,
      findingIds: dto.findingIds.map((id) => id.toLowerCase()),
      summary: dto.summary,
    };
    return this.reports.handle({ type: 'FileInspectionReport', data }, ctx.actor, ctx);
  }
}
