import { type Actor, campaignStreamId, decideCampaign, evolveCampaign, type ReminderSettings, reminderSettingsOf } from '@duban/domain';
import type { CommandRunner } from '@duban/event-store';
import type { CampaignContexts } from './campaign-contexts';
import type { CampaignCommandRequest, CommandMeta } from './commands';
import { commandRequest } from './commands';

export interface CampaignCommandResult {
  campaignId: string;
  version: number;
}

export interface CampaignLifecycleResult extends CampaignCommandResult {
  /** The event appended: CampaignPaused, CampaignResumed or CampaignEnded. */
  events: string[];
}

/** A reminder settings change: the settings in force after it, whole. */
export interface ReminderSettingsResult extends CampaignLifecycleResult {
  settings: ReminderSettings;
}

export type CampaignResultOf<C extends CampaignCommandRequest> = C extends { type: 'CreateCampaign' }
  ? CampaignCommandResult
  : C extends { type: 'ChangeReminderSettings' }
    ? ReminderSettingsResult
    : CampaignLifecycleResult;

/**
 * Campaign commands (创建, 暂停, 恢复, 结束, 提醒设置), for the API and the seed command. The decider refuses what the lifecycle
 * does not allow (pausing a paused campaign, anything after the end) as an invalid state, which the API answers with 409.
 */
export class CampaignCommands {
  constructor(
    private readonly runner: CommandRunner,
    private readonly campaigns: CampaignContexts,
  ) {}

  handle<C extends CampaignCommandRequest>(command: C, signer: Actor, meta: CommandMeta): Promise<CampaignResultOf<C>> {
    const c: CampaignCommandRequest = command;
    const campaignId = c.type === 'CreateCampaign' ? c.data.campaignId : c.campaignId;
    const body = c.type === 'CreateCampaign' ? c.data : c.type === 'ChangeReminderSettings' ? { campaignId, settings: c.data.settings } : { campaignId, reason: c.data.reason };
    const request = commandRequest(c.type, signer, meta, body);
    return this.runner.run<CampaignResultOf<C>>(request, async ({ now, toNewEvents }) => {
      const streamId = campaignStreamId(campaignId);
      const { state, version } = await this.campaigns.current(campaignId);
      const events = decideCampaign({ type: c.type, data: c.data, metadata: { now, actor: signer } } as Parameters<typeof decideCampaign>[0], state);
      return {
        // Settings set to what they already are append nothing (the result says so with an empty `events`).
        appends: events.length ? [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }] : [],
        result: (s) =>
          (c.type === 'CreateCampaign'
            ? { campaignId, version: s[0].toVersion }
            : {
                campaignId,
                version: s[0]?.toVersion ?? version,
                events: events.map((e) => e.type),
                ...(c.type === 'ChangeReminderSettings' ? { settings: reminderSettingsOf(events.reduce(evolveCampaign, state)) } : {}),
              }) as CampaignResultOf<C>,
      };
    });
  }
}
