import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { type Actor, NOTIFICATION_SWITCHES, type NotificationSwitch, type ReminderSettingsOverrides, requireRole } from '@duban/domain';
import { CampaignCommands, type ReminderSettingsResult } from '@duban/application';
import { CampaignsQuery, type CampaignReminderSettingsView } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { LocalTimeField, NestedObject } from '../../http/dto-fields';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { CommandResponses, QueryResponses } from '../../openapi/api-responses';
import { CampaignIdPipe, CampaignLookup } from '../shared/campaign-lookup';

export class QuietHoursDto {
  @LocalTimeField('免打扰开始（含），如 21:00')
  from!: string;

  @LocalTimeField('免打扰结束（不含），如 08:00；早于开始即跨夜')
  to!: string;
}

/** Only what is sent changes; the rest stays as the campaign has it (the defaults, if it never set any). */
export class ReminderSettingsDto {
  @LocalTimeField('每日摘要时间（每个工作日，按单位发送）', true)
  digestAt?: string;

  @LocalTimeField('临近提醒时间（期限或升级前一工作日）', true)
  remindAt?: string;

  @LocalTimeField('当日进度提醒时间（早晨）', true)
  morningAt?: string;

  @NestedObject(() => QuietHoursDto, '免打扰时段（上述时间都不能落在其中）', true)
  quietHours?: QuietHoursDto;

  @ApiPropertyOptional({ description: '启用的提醒种类；未列出的不再发送', enum: [...NOTIFICATION_SWITCHES], isArray: true })
  @IsOptional()
  @IsArray({ message: '必须是数组' })
  @ArrayMaxSize(NOTIFICATION_SWITCHES.length, { message: `最多 ${NOTIFICATION_SWITCHES.length} 项` })
  @IsIn([...NOTIFICATION_SWITCHES], { each: true, message: `每一项必须是 ${NOTIFICATION_SWITCHES.join('、')} 之一` })
  enabled?: NotificationSwitch[];
}

/**
 * 提醒设置 of a campaign (管理员): the digest hour, the reminder hours, the quiet hours and which reminders go out,
 * signed on the campaign's stream (ReminderSettingsChanged) so the trail shows who changed them. A campaign that never
 * set them gets the defaults (摘要 08:30, 免打扰 21:00–08:00, everything on).
 */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns/:campaignId/reminder-settings')
export class ReminderSettingsController {
  constructor(
    private readonly campaigns: CampaignCommands,
    private readonly lookup: CampaignLookup,
    private readonly query: CampaignsQuery,
  ) {}

  @Get()
  @QueryResponses('CampaignReminderSettings')
  @ApiOperation({ summary: '专项行动的提醒设置（未设置时为默认值，isDefault 为真）', operationId: 'getReminderSettings' })
  async get(@Param('campaignId', CampaignIdPipe) campaignId: string, @CurrentActor() actor: Actor): Promise<CampaignReminderSettingsView> {
    requireRole(actor, ['admin', 'supervisor', 'discipline_inspector']);
    await this.lookup.require(campaignId);
    return (await this.query.reminderSettings(campaignId))!;
  }

  @Post()
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('ReminderSettingsResult')
  @ApiOperation({ summary: '修改专项行动的提醒设置（管理员）：每日摘要时间、临近提醒、免打扰时段、启用的提醒种类', operationId: 'changeReminderSettings' })
  async change(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Body() dto: ReminderSettingsDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<ReminderSettingsResult> {
    const settings: ReminderSettingsOverrides = {
      ...(dto.digestAt !== undefined ? { digestAt: dto.digestAt } : {}),
      ...(dto.remindAt !== undefined ? { remindAt: dto.remindAt } : {}),
      ...(dto.morningAt !== undefined ? { morningAt: dto.morningAt } : {}),
      ...(dto.quietHours !== undefined ? { quietHours: { from: dto.quietHours.from, to: dto.quietHours.to } } : {}),
      ...(dto.enabled !== undefined ? { enabled: [...dto.enabled] } : {}),
    };
    return this.campaigns.handle({ type: 'ChangeReminderSettings', campaignId, data: { settings } }, ctx.actor, ctx);
  }
}
