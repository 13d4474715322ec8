import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUrl, Length, Matches } from 'class-validator';
import { Pool } from 'pg';
import { type Actor, requireRole } from '@duban/domain';
import { WebhookSubscriptionCommands, type WebhookSubscriptionResult } from '@duban/application';
import { WebhookDeliverer, WebhookSubscriptions } from '@duban/read-models';
import { CurrentActor } from '../../auth/auth';
import { PG_POOL } from '../../database/database.module';
import { notFound } from '../../ledgers/shared/scope';
import { Text } from '../../http/dto-fields';
import { CommandCtx, CommandContext, CommandHeaders } from '../../http/request-context';
import { CommandResponses, QueryResponses } from '../../openapi/api-responses';

const ID = /^[a-z0-9][a-z0-9-]{1,63}$/;

/** Subscription ids as the DTO allows them; anything else is a 400 naming the path parameter. */
export class SubscriptionIdPipe {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !ID.test(value)) {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', field: 'subscriptionId', message: '字段 subscriptionId 无效 (VALIDATION_FAILED)' });
    }
    return value;
  }
}

export class CreateWebhookSubscriptionDto {
  @ApiProperty({ description: '订阅编号（小写字母、数字、连字符）' })
  @Matches(ID, { message: '编号只能包含小写字母、数字和连字符' })
  subscriptionId!: string;

  @ApiProperty({ description: '接收地址（http/https）' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: '必须是 http(s) 地址' })
  url!: string;

  @ApiProperty({ description: '签名密钥（HMAC-SHA256，16–200 字符）' })
  @IsString({ message: '必须是文本' })
  @Length(16, 200, { message: '长度应为 16–200' })
  secret!: string;

  @ApiProperty({ description: '事件类型（如 FindingDispatched）', type: [String] })
  @IsArray({ message: '必须是数组' })
  @ArrayMinSize(1, { message: '至少 1 项' })
  @ArrayMaxSize(50, { message: '至多 50 项' })
  @Matches(/^[A-Z][A-Za-z]{2,63}$/, { each: true, message: '每项必须是事件类型名' })
  eventTypes!: string[];

  @ApiProperty({ description: '单位编号；空列表为全部单位', type: [String] })
  @IsArray({ message: '必须是数组' })
  @ArrayMaxSize(500, { message: '至多 500 项' })
  @Matches(ID, { each: true, message: '每项必须是单位编号' })
  unitIds!: string[];
}

export class ChangeWebhookSubscriptionDto {
  @ApiPropertyOptional({ description: '新的接收地址（http/https）' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: '必须是 http(s) 地址' })
  url?: string;

  @ApiPropertyOptional({ description: '新的签名密钥（轮换；16–200 字符）' })
  @IsOptional()
  @IsString({ message: '必须是文本' })
  @Length(16, 200, { message: '长度应为 16–200' })
  secret?: string;

  @ApiPropertyOptional({ description: '新的事件类型列表', type: [String] })
  @IsOptional()
  @IsArray({ message: '必须是数组' })
  @ArrayMinSize(1, { message: '至少 1 项' })
  @ArrayMaxSize(50, { message: '至多 50 项' })
  @Matches(/^[A-Z][A-Za-z]{2,63}$/, { each: true, message: '每项必须是事件类型名' })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: '新的单位编号列表；空列表为全部单位', type: [String] })
  @IsOptional()
  @IsArray({ message: '必须是数组' })
  @ArrayMaxSize(500, { message: '至多 500 项' })
  @Matches(ID, { each: true, message: '每项必须是单位编号' })
  unitIds?: string[];

  @Text('原因（写入事件，供审计）', 1000)
  reason!: string;
}

export class DeleteWebhookSubscriptionDto {
  @Text('原因（写入事件，供审计）', 1000)
  reason!: string;
}

/**
 * 外部系统订阅 (webhooks), administrators only: subscribe by event type and unit, change or cancel a subscription —
 * each a command with an Idempotency-Key appending signed events on the subscription's stream (the audit trail shows
 * who subscribed what; the secret is never in the log) — and read a subscriber's dead letters, redeliver one. The list
 * is the events' projection: a subscription shows, and the worker delivers to it, once the projection has passed it.
 * Each subscriber has its own checkpoint; a body carries its event id, and receivers dedupe on it.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('webhook-subscriptions')
export class WebhooksController {
  private readonly subscriptions: WebhookSubscriptions;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly commands: WebhookSubscriptionCommands,
  ) {
    this.subscriptions = new WebhookSubscriptions(pool);
  }

  @Post()
  @HttpCode(201)
  @CommandHeaders()
  @CommandResponses('WebhookSubscriptionResult', { status: 201 })
  @ApiOperation({ summary: '新建 webhook 订阅（管理员）：事件类型、单位、地址与签名密钥；签名事件记入审计，密钥不入日志', operationId: 'createWebhookSubscription' })
  create(@Body() dto: CreateWebhookSubscriptionDto, @CommandCtx() ctx: CommandContext): Promise<WebhookSubscriptionResult> {
    const data = { subscriptionId: dto.subscriptionId, url: dto.url, secret: dto.secret, eventTypes: dto.eventTypes, unitIds: dto.unitIds };
    return this.commands.handle({ type: 'CreateWebhookSubscription', data }, ctx.actor, ctx);
  }

  @Post(':subscriptionId/change')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('WebhookSubscriptionResult')
  @ApiOperation({ summary: '修改 webhook 订阅（管理员）：地址、密钥轮换、事件类型、单位；只改所给的字段', operationId: 'changeWebhookSubscription' })
  change(
    @Param('subscriptionId', SubscriptionIdPipe) subscriptionId: string,
    @Body() dto: ChangeWebhookSubscriptionDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<WebhookSubscriptionResult> {
    const { url, secret, eventTypes, unitIds, reason } = dto;
    const data = { reason, ...(url !== undefined ? { url } : {}), ...(secret !== undefined ? { secret } : {}), ...(eventTypes ? { eventTypes } : {}), ...(unitIds ? { unitIds } : {}) };
    return this.commands.handle({ type: 'ChangeWebhookSubscription', subscriptionId, data }, ctx.actor, ctx);
  }

  @Post(':subscriptionId/delete')
  @HttpCode(200)
  @CommandHeaders()
  @CommandResponses('WebhookSubscriptionResult')
  @ApiOperation({ summary: '取消 webhook 订阅（管理员）：不再投递；编号不能再用', operationId: 'deleteWebhookSubscription' })
  remove(
    @Param('subscriptionId', SubscriptionIdPipe) subscriptionId: string,
    @Body() dto: DeleteWebhookSubscriptionDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<WebhookSubscriptionResult> {
    return this.commands.handle({ type: 'DeleteWebhookSubscription', subscriptionId, data: { reason: dto.reason } }, ctx.actor, ctx);
  }

  @Get()
  @QueryResponses('WebhookSubscriptionList', { without: [400, 404] })
  @ApiOperation({ summary: 'webhook 订阅列表（管理员；不返回密钥）', operationId: 'listWebhookSubscriptions' })
  async list(@CurrentActor() actor: Actor) {
    requireRole(actor, ['admin']);
    return this.subscriptions.list();
  }

  @Get(':subscriptionId/dead-letters')
  @QueryResponses('WebhookDeadLetters')
  @ApiOperation({ summary: '投递失败清单（重试用尽的事件）', operationId: 'listWebhookDeadLetters' })
  async deadLetters(@Param('subscriptionId') subscriptionId: string, @CurrentActor() actor: Actor) {
    return (await this.deliverer(subscriptionId, actor)).deadLetters();
  }

  @Post(':subscriptionId/dead-letters/:eventId/redeliver')
  @HttpCode(200)
  @QueryResponses('WebhookRedelivery', { also: [413, 415] })
  @ApiOperation({ summary: '手动重新投递一条失败的事件（原样正文，同一事件编号）', operationId: 'redeliverWebhook' })
  async redeliver(@Param('subscriptionId') subscriptionId: string, @Param('eventId') eventId: string, @CurrentActor() actor: Actor) {
    const deliverer = await this.deliverer(subscriptionId, actor);
    if (!(await deliverer.deadLetters()).some((d) => d.eventId === eventId)) return notFound('失败投递');
    return { eventId, delivered: await deliverer.redeliver(eventId) };
  }

  private async deliverer(subscriptionId: string, actor: Actor): Promise<WebhookDeliverer> {
    requireRole(actor, ['admin']);
    new SubscriptionIdPipe().transform(subscriptionId);
    const s = await this.subscriptions.get(subscriptionId);
    if (!s) return notFound('webhook 订阅');
    return new WebhookDeliverer(this.pool, s);
  }
}
