import {
  calendarFor,
  type CampaignEvent,
  type CampaignState,
  campaignStreamId,
  evolveCampaign,
  type FindingContext,
  initialCampaignState,
  NotFoundError,
} from '@duban/domain';
import { type EventStore, loadAggregate } from '@duban/event-store';

export type ActiveCampaign = Extract<CampaignState, { status: 'Active' }>;

/** How many campaigns' settings are kept; a county runs a handful at a time. */
const KEPT = 64;

/**
 * The one place the campaign stream is folded for a command. Two reads, for two kinds of decision:
 * - `current`: the whole state and version, folded now — for what moves (the next notice number, the lifecycle);
 * - `context`: the settings and calendar a finding decision needs. CampaignCreated fixes them and no later event
 *   changes them, so once read they are kept: a cached context can never be stale. (Folding the campaign stream —
 *   one DispatchNoticeIssued per dispatch — on every timer plan cost ~20× the finding's own read, bench 7.)
 */
export class CampaignContexts {
  private readonly contexts = new Map<string, FindingContext>();

  constructor(private readonly store: EventStore) {}

  async current(campaignId: string): Promise<{ state: CampaignState; version: number }> {
    if (!campaignId) return { state: initialCampaignState(), version: 0 };
    const folded = await loadAggregate<CampaignState, CampaignEvent>(
      this.store,
      campaignStreamId(campaignId),
      evolveCampaign,
      initialCampaignState(),
    );
    if (folded.state.status === 'Active') this.keep(campaignId, folded.state);
    return folded;
  }

  /** The campaign as it is now, or 404 CAMPAIGN_NOT_FOUND. */
  async active(campaignId: string): Promise<{ state: ActiveCampaign; version: number }> {
    const { state, version } = await this.current(campaignId);
    if (state.status !== 'Active') throw notFound(campaignId);
    return { state, version };
  }

  /** The campaign's settings and calendar, or null when there is no such campaign. */
  async context(campaignId: string): Promise<FindingContext | null> {
    const known = this.contexts.get(campaignId);
    if (known) return known;
    await this.current(campaignId);
    return this.contexts.get(campaignId) ?? null;
  }

  /** As `context`, or 404 CAMPAIGN_NOT_FOUND. */
  async requireContext(campaignId: string): Promise<FindingContext> {
    const ctx = await this.context(campaignId);
    if (!ctx) throw notFound(campaignId);
    return ctx;
  }

  private keep(campaignId: string, state: ActiveCampaign): void {
    if (this.contexts.has(campaignId)) return;
    if (this.contexts.size >= KEPT) this.contexts.delete(this.contexts.keys().next().value as string);
    this.contexts.set(campaignId, { campaign: state.settings, calendar: calendarFor(state.settings) });
  }
}

const notFound = (campaignId: string) => new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${campaignId || '（未指定）'} 不存在`);
