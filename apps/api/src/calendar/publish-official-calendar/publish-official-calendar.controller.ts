import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { OfficialCalendarCommands, type OfficialCalendarResult } from '@duban/application';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { CommandResponses } from '../../openapi/api-responses';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class NoticeDayDto {
  @ApiProperty({ example: '2031-01-01' })
  @IsString({ message: '必须是 YYYY-MM-DD 日期' })
  @Matches(DATE, { message: '必须是 YYYY-MM-DD 日期' })
  date!: string;

  @ApiProperty({ example: '元旦' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(20, { message: '不能超过 20 个字符' })
  name!: string;
}

// The shapes are checked here; what makes a notice valid (dates inside its year, make-up days on a weekend, no day
// both, no duplicates, a reason for a correction) is the domain's (decideOfficialCalendar), with the field named.
export class PublishOfficialCalendarDto {
  @ApiProperty({ example: 2031, description: '通知所安排的年份' })
  @IsInt({ message: '必须是整数' })
  year!: number;

  @ApiProperty({ example: '国务院办公厅关于2031年部分节假日安排的通知' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(200, { message: '不能超过 200 个字符' })
  title!: string;

  @ApiProperty({ example: '国办发明电〔2030〕7号', description: '文号' })
  @IsString({ message: '必须是文本' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(50, { message: '不能超过 50 个字符' })
  documentNo!: string;

  @ApiProperty({ type: [NoticeDayDto], description: '放假日期（含并入假期的周末），每天一项' })
  @IsArray({ message: '必须是数组' })
  @ArrayMinSize(1, { message: '至少一天' })
  @ArrayMaxSize(120, { message: '最多 120 天' })
  @ValidateNested({ each: true })
  @Type(() => NoticeDayDto)
  holidays!: NoticeDayDto[];

  @ApiProperty({ type: [NoticeDayDto], description: '调休上班日期（周六或周日），每天一项' })
  @IsArray({ message: '必须是数组' })
  @ArrayMaxSize(120, { message: '最多 120 天' })
  @ValidateNested({ each: true })
  @Type(() => NoticeDayDto)
  makeupWorkdays!: NoticeDayDto[];

  @ApiPropertyOptional({ description: '更正理由：该年份已发布过通知时必填' })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @MaxLength(500, { message: '不能超过 500 个字符' })
  reason?: string;
}

const days = (list: NoticeDayDto[]) => list.map((d) => ({ date: d.date, name: d.name }));

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar/official-years')
export class PublishOfficialCalendarController {
  constructor(private readonly calendars: OfficialCalendarCommands) {}

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @CommandResponses('OfficialCalendarPublication', { status: 201, without: [404] })
  @ApiOperation({
    summary: '发布年度节假日安排（管理员）：国务院通知的放假与调休上班日；同一年份再次发布即为更正，须说明理由。已签发的期限不变',
    operationId: 'publishOfficialCalendar',
  })
  handle(@Body() dto: PublishOfficialCalendarDto, @CommandCtx() ctx: CommandContext): Promise<OfficialCalendarResult> {
    const data = {
      year: dto.year,
      title: dto.title,
      documentNo: dto.documentNo,
      holidays: days(dto.holidays),
      makeupWorkdays: days(dto.makeupWorkdays),
      reason: dto.reason ?? null,
    };
    return this.calendars.handle({ type: 'PublishOfficialCalendar', data }, ctx.actor, ctx);
  }
}
