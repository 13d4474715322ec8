import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CadenceReportsQuery, CampaignLifecycleView } from '@duban/read-models';
import { CampaignCommands, CampaignLifecycleCommandType, CampaignLifecycleResult } from '@duban/application';
import { Text } from '../../http/dto-fields';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { CampaignIdPipe, CampaignLookup } from '../shared/campaign-lookup';
import { CommandResponses, QueryResponses } from '../../openapi/api-responses';

export class CampaignLifecycleDto {
  @Text('原因（写入事件，供审计）', 1000)
  reason!: string;
}

export class GetCampaignLifecycle {
  constructor(readonly campaignId: string) {}
}

@QueryHandler(GetCampaignLifecycle)
export class GetCampaignLifecycleHandler implements IQueryHandler<GetCampaignLifecycle, CampaignLifecycleView> {
  constructor(private readonly reports: CadenceReportsQuery, private readonly campaigns: CampaignLookup) {}

  async execute({ campaignId }: GetCampaignLifecycle): Promise<CampaignLifecycleView> {
    const campaign = await this.campaigns.require(campaignId);
    // Created and never paused: active since its creation (what the lifecycle read model records once it has it).
    return (
      (await this.reports.lifecycle(campaignId)) ?? {
        campaignId,
        lifecycle: 'active',
        reason: null,
        changedBy: campaign.createdBy,
        changedAt: campaign.createdAt,
      }
    );
  }
}

/**
 * 暂停 / 恢复 / 结束: the administrator switches a campaign's cadence off and on, or ends it for good. Signed like every
 * command (Idempotency-Key, reason); the decider allows only admins and refuses what the lifecycle does not (409).
 */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns/:campaignId')
export class CampaignLifecycleController {
  constructor(
    private readonly campaigns: CampaignCommands,
    private readonly queries: QueryBus,
  ) {}

  @Post('pause')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('CampaignLifecycleResult')
  @ApiOperation({
    summary: '暂停专项行动（管理员）：督办节奏（日督查、日交办、周调度、月讲评）停止，问题的期限照常',
    operationId: 'pauseCampaign',
  })
  pause(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Body() dto: CampaignLifecycleDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CampaignLifecycleResult> {
    return this.change('PauseCampaign', campaignId, dto, ctx);
  }

  @Post('resume')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('CampaignLifecycleResult')
  @ApiOperation({ summary: '恢复已暂停的专项行动（管理员）', operationId: 'resumeCampaign' })
  resume(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Body() dto: CampaignLifecycleDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CampaignLifecycleResult> {
    return this.change('ResumeCampaign', campaignId, dto, ctx);
  }

  @Post('end')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('CampaignLifecycleResult')
  @ApiOperation({ summary: '结束专项行动（管理员，不可恢复）：不再督办、不再以其名义交办', operationId: 'endCampaign' })
  end(
    @Param('campaignId', CampaignIdPipe) campaignId: string,
    @Body() dto: CampaignLifecycleDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CampaignLifecycleResult> {
    return this.change('EndCampaign', campaignId, dto, ctx);
  }

  @Get('lifecycle')
  @QueryResponses('CampaignLifecycleView')
  @ApiOperation({ summary: '专项行动状态：进行中、已暂停、已结束，及最近一次变更的原因、签字人、时间', operationId: 'getCampaignLifecycle' })
  lifecycle(@Param('campaignId', CampaignIdPipe) campaignId: string): Promise<CampaignLifecycleView> {
    return this.queries.execute(new GetCampaignLifecycle(campaignId));
  }

  private change(
    type: CampaignLifecycleCommandType,
    campaignId: string,
    dto: CampaignLifecycleDto,
    ctx: CommandContext,
  ): Promise<CampaignLifecycleResult> {
    return this.campaigns.handle({ type, campaignId, data: { reason: dto.reason } }, ctx.actor, ctx);
  }
}
