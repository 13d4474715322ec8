import {
  calendarFor,
  type CampaignEvent,
  type CampaignSettings,
  type CampaignState,
  campaignStreamId,
  evolveCampaign,
  type FindingContext,
  initialCampaignState,
  NotFoundError,
} from '@duban/domain';
import type { EventStore } from '@duban/event-store';
import type { OfficialCalendars } from './official-calendars';

export type ActiveCampaign = Extract<CampaignState, { status: 'Active' }>;

/** How many campaigns' settings are kept; a county runs a handful at a time. */
const KEPT = 64;

/** How many campaigns' folded states are kept (a few hundred bytes each). */
const FOLDED = 1024;

/**
 * The one place the campaign stream is folded for a command. Two reads, for two kinds of decision:
 * - `current`: the state and version as they are now — for what moves (the next notice number, the lifecycle). The
 *   folded state is kept with its version and only the events after it are read and folded: one indexed read that
 *   usually returns nothing, however many dispatches the campaign has had (folding the whole stream — one
 *   DispatchNoticeIssued per dispatch — made every dispatch O(campaign size), issue 15). Never stale for a decision:
 *   the read is made for every command, and the append still expects the version it returns;
 * - `context`: the settings and calendar a finding decision needs. CampaignCreated fixes the settings and no later
 *   event changes them, so once read they are kept: cached settings can never be stale. (Folding the campaign
 *   stream — one DispatchNoticeIssued per dispatch — on every timer plan cost ~20× the finding's own read, bench 7.)
 *   The official calendar under them can change (a published notice), so it is read afresh for every context.
 */
export class CampaignContexts {
  private readonly contexts = new Map<string, { settings: CampaignSettings; context: FindingContext | null }>();
  private readonly folded = new Map<string, { state: CampaignState; version: number }>();

  constructor(
    private readonly store: EventStore,
    readonly officialCalendars: OfficialCalendars,
  ) {}

  async current(campaignId: string): Promise<{ state: CampaignState; version: number }> {
    if (!campaignId) return { state: initialCampaignState(), version: 0 };
    const kept = this.folded.get(campaignId) ?? { state: initialCampaignState(), version: 0 };
    const tail = await this.store.readStream<CampaignEvent['data']>(campaignStreamId(campaignId), { afterVersion: kept.version });
    const folded = {
      state: tail.events.reduce((s, e) => evolveCampaign(s, { type: e.type, data: e.data } as CampaignEvent), kept.state),
      version: tail.version,
    };
    if (folded.version > 0) this.keepFolded(campaignId, folded);
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
    if (!this.contexts.has(campaignId)) await this.current(campaignId);
    const kept = this.contexts.get(campaignId);
    if (!kept) return null;
    const official = await this.officialCalendars.current();
    if (kept.context?.calendar.version !== official.version) {
      kept.context = { campaign: kept.settings, calendar: calendarFor(kept.settings, official.data) };
    }
    return kept.context;
  }

  /** As `context`, or 404 CAMPAIGN_NOT_FOUND. */
  async requireContext(campaignId: string): Promise<FindingContext> {
    const ctx = await this.context(campaignId);
    if (!ctx) throw notFound(campaignId);
    return ctx;
  }

  private keepFolded(campaignId: string, folded: { state: CampaignState; version: number }): void {
    const known = this.folded.get(campaignId);
    // Concurrent reads may finish out of order: keep the newest.
    if (known && known.version >= folded.version) return;
    this.folded.delete(campaignId);
    this.folded.set(campaignId, folded);
    if (this.folded.size > FOLDED) this.folded.delete(this.folded.keys().next().value as string);
  }

  private keep(campaignId: string, state: ActiveCampaign): void {
    if (this.contexts.has(campaignId)) return;
    if (this.contexts.size >= KEPT) this.contexts.delete(this.contexts.keys().next().value as string);
    this.contexts.set(campaignId, { settings: state.settings, context: null });
  }
}

const notFound = (campaignId: string) => new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${campaignId || '（未指定）'} 不存在`);
