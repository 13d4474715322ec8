import { BadRequestException, Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  calendarFor,
  CampaignPhase,
  DayInfo,
  Deadline,
  deadlineFor,
  WorkdayCalendar,
  DAY_KIND_LABELS,
  endOfShanghaiDay,
  type OfficialYear,
  officialDaysOf,
  officialYears,
} from '@duban/domain';
import { OfficialCalendars } from '@duban/application';
import { CampaignsQuery } from '@duban/read-models';
import { CLOCK, Clock } from '../database/database.module';
import { QueryWholeNumber } from '../http/dto-fields';
import { notFound } from '../ledgers/shared/scope';
import { QueryResponses } from '../openapi/api-responses';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_OR_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class CalendarScopeDto {
  @ApiPropertyOptional({ description: '按专项行动的工作日历（含其自定义休息日/工作日）' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{2,64}$/, { message: '专项行动编号格式不正确' })
  campaignId?: string;
}

export class DueDateDto extends CalendarScopeDto {
  @ApiPropertyOptional({ description: '起算时刻（ISO 时间或 YYYY-MM-DD）；缺省为现在', example: '2026-11-23T10:00:00+08:00' })
  @IsOptional()
  @Matches(INSTANT_OR_DATE, { message: '必须是 ISO 时间或 YYYY-MM-DD 日期' })
  from?: string;

  @ApiProperty({ description: '工作日数', minimum: 1, maximum: 250 })
  @QueryWholeNumber()
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少 1 个工作日' })
  @Max(250, { message: '不能超过 250' })
  workdays!: number;
}

export class GetDayInfo {
  constructor(readonly date: string, readonly campaignId?: string) {}
}

export class GetDueDate {
  constructor(readonly dto: DueDateDto) {}
}

export class GetOfficialYears {}

export class GetOfficialYear {
  constructor(readonly year: number) {}
}

export type OfficialYearView = OfficialYear & {
  holidays: Array<{ date: string; name: string }>;
  makeupWorkdays: Array<{ date: string; name: string }>;
};

export interface OfficialYearsView {
  /** The official calendar version in force: 0 while only the shipped data exists, then one more per notice. */
  calendarVersion: number;
  years: OfficialYear[];
}

export interface DueDateView extends Deadline {
  from: string;
  workdays: number;
  campaignId: string | null;
}

/**
 * The calendar a preview computes with is the one a dispatch signed now would use: the shipped data, the published
 * notices (read from their stream, as the write side does, so a notice published a moment ago counts at once) and the
 * campaign's own days.
 */
abstract class CalendarHandlerBase {
  constructor(
    protected readonly campaigns: CampaignsQuery,
    protected readonly official: OfficialCalendars,
  ) {}

  protected async calendar(campaignId?: string): Promise<{ calendar: WorkdayCalendar; phases: CampaignPhase[] }> {
    const campaign = campaignId ? await this.campaigns.get(campaignId) : null;
    if (campaignId && !campaign) return notFound('专项行动');
    const { data } = await this.official.current();
    if (!campaign) return { calendar: new WorkdayCalendar({}, data), phases: [] };
    return { calendar: calendarFor(campaign, data), phases: campaign.phases };
  }
}

@QueryHandler(GetDayInfo)
export class GetDayInfoHandler extends CalendarHandlerBase implements IQueryHandler<GetDayInfo> {
  constructor(campaigns: CampaignsQuery, official: OfficialCalendars) {
    super(campaigns, official);
  }

  async execute({ date, campaignId }: GetDayInfo): Promise<DayInfo & { label: string; calendarVersion: number }> {
    const { calendar } = await this.calendar(campaignId);
    const info = calendar.dayInfo(date);
    return { ...info, label: DAY_KIND_LABELS[info.kind], calendarVersion: calendar.version };
  }
}

@QueryHandler(GetOfficialYears)
export class GetOfficialYearsHandler implements IQueryHandler<GetOfficialYears> {
  constructor(private readonly official: OfficialCalendars) {}

  async execute(): Promise<OfficialYearsView> {
    const { state, version } = await this.official.current();
    return { calendarVersion: version, years: officialYears(this.official.shippedData(), state) };
  }
}

@QueryHandler(GetOfficialYear)
export class GetOfficialYearHandler implements IQueryHandler<GetOfficialYear> {
  constructor(private readonly official: OfficialCalendars) {}

  async execute({ year }: GetOfficialYear): Promise<OfficialYearView> {
    const { state, data } = await this.official.current();
    const entry = officialYears(this.official.shippedData(), state).find((y) => y.year === year);
    if (!entry) return notFound(`${year} 年的官方节假日数据`);
    return { ...entry, ...officialDaysOf(data, year) };
  }
}

@QueryHandler(GetDueDate)
export class GetDueDateHandler extends CalendarHandlerBase implements IQueryHandler<GetDueDate> {
  constructor(campaigns: CampaignsQuery, official: OfficialCalendars, @Inject(CLOCK) private readonly clock: Clock) {
    super(campaigns, official);
  }

  async execute({ dto }: GetDueDate): Promise<DueDateView> {
    const { calendar, phases } = await this.calendar(dto.campaignId);
    // A bare date means "an event on that day": any hour gives the same due date, so noon is as good as any.
    const from = !dto.from
      ? this.clock.now().toISOString()
      : DATE.test(dto.from)
        ? new Date(Date.parse(endOfShanghaiDay(dto.from)) - 12 * 3600_000).toISOString()
        : new Date(dto.from).toISOString();
    const deadline = deadlineFor({ phases }, calendar, from, dto.workdays);
    return { ...deadline, from, workdays: dto.workdays, campaignId: dto.campaignId ?? null };
  }
}

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly queries: QueryBus) {}

  @Get('days/:date')
  @QueryResponses('DayInfo')
  @ApiOperation({ summary: '某日是否工作日（法定节假日、调休、专项行动自定义）', operationId: 'getDayInfo' })
  day(@Param('date') date: string, @Query() scope: CalendarScopeDto) {
    if (!DATE.test(date)) {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', field: 'date', message: '字段 date 无效：必须是 YYYY-MM-DD 日期 (VALIDATION_FAILED)' });
    }
    return this.queries.execute(new GetDayInfo(date, scope.campaignId));
  }

  @Get('official-years')
  @QueryResponses('OfficialYears', { without: [400, 404] })
  @ApiOperation({
    summary: '哪些年份有官方节假日数据：随程序发布（内置）或管理员发布的国务院通知（标题、文号、版本）',
    operationId: 'listOfficialYears',
  })
  officialYears(): Promise<OfficialYearsView> {
    return this.queries.execute(new GetOfficialYears());
  }

  @Get('official-years/:year')
  @QueryResponses('OfficialYear')
  @ApiOperation({ summary: '某年的官方放假与调休上班日期，及其来源（内置或发布的通知、版本）', operationId: 'getOfficialYear' })
  officialYear(@Param('year') year: string): Promise<OfficialYearView> {
    if (!/^\d{4}$/.test(year)) {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', field: 'year', message: '字段 year 无效：必须是四位年份 (VALIDATION_FAILED)' });
    }
    return this.queries.execute(new GetOfficialYear(Number(year)));
  }

  @Get('due-date')
  @QueryResponses('DueDate')
  @ApiOperation({ summary: 'N 个工作日后的截止时间（交办单签字前预览；受阶段结束日封顶）', operationId: 'getDueDate' })
  dueDate(@Query() dto: DueDateDto): Promise<DueDateView> {
    return this.queries.execute(new GetDueDate(dto));
  }
}
