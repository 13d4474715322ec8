import type { CalendarOverrides } from '../calendar/workday-calendar';
import type { Actor } from '../shared/actor';
import { InvalidInputError, InvalidStateError, NotFoundError } from '../shared/errors';
import { requireRole, requireText, validateMetadata } from '../shared/guards';
import { assertLocalDate, shanghaiDateOf, toUtcIso, yearOf } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings, type ReminderSettingsOverrides, resolveReminderSettings, sameReminderSettings } from '../notifications/settings';
import { type CampaignPhase, validatePhases } from './phases';
import { type CampaignPolicy, type CampaignPolicyOverrides, DEFAULT_POLICY, resolvePolicy } from './policy';

export const campaignStreamId = (campaignId: string): string => `campaign-${campaignId}`;

/** Everything a finding decision needs to know about its campaign. */
export type CampaignSettings = {
  campaignId: string;
  name: string;
  noticePrefix: string;
  phases: CampaignPhase[];
  policy: CampaignPolicy;
  calendarOverrides: Required<CalendarOverrides>;
};

// ---------- commands ----------

export type CreateCampaign = Command<
  'CreateCampaign',
  {
    campaignId: string;
    name: string;
    /** e.g. '郸巩督' → notices '郸巩督〔2026〕1号'. */
    noticePrefix: string;
    phases: CampaignPhase[];
    policy?: CampaignPolicyOverrides;
    calendarOverrides?: CalendarOverrides;
  }
>;

/** `selfFoundBy`: the findings were found by this unit in a 举一反三 self-check and go to it at once (its official signs). */
export type IssueDispatchNotice = Command<'IssueDispatchNotice', { findingIds: string[]; selfFoundBy?: string }>;

/** Stops the cadence (schedules pause, no reports, no missed-report records) until resumed; findings keep their timers. */
export type PauseCampaign = Command<'PauseCampaign', { reason: string }>;
export type ResumeCampaign = Command<'ResumeCampaign', { reason: string }>;
/** Ends the campaign for good: its schedules are removed and no notice is issued under it again. */
export type EndCampaign = Command<'EndCampaign', { reason: string }>;

/**
 * 提醒设置: the digest hour, the reminder hours, the quiet hours and which reminders go out, for this campaign's
 * people. Only what is given changes the defaults; a campaign that never sets them keeps the defaults.
 */
export type ChangeReminderSettings = Command<'ChangeReminderSettings', { settings: ReminderSettingsOverrides }>;

export type CampaignCommand = CreateCampaign | IssueDispatchNotice | PauseCampaign | ResumeCampaign | EndCampaign | ChangeReminderSettings;

// ---------- events ----------

export type CampaignCreated = DomainEvent<
  'CampaignCreated',
  {
    campaignId: string;
    name: string;
    noticePrefix: string;
    phases: CampaignPhase[];
    policy: CampaignPolicy;
    calendarOverrides: Required<CalendarOverrides>;
  } & Signed
>;

export type DispatchNoticeIssued = DomainEvent<
  'DispatchNoticeIssued',
  {
    campaignId: string;
    noticeNo: string;
    /** Gapless per campaign, across years: the year only decorates the number. */
    sequence: number;
    year: number;
    findingIds: string[];
  } & Signed
>;

export type CampaignPaused = DomainEvent<'CampaignPaused', { campaignId: string; reason: string } & Signed>;
export type CampaignResumed = DomainEvent<'CampaignResumed', { campaignId: string; reason: string } & Signed>;
export type CampaignEnded = DomainEvent<'CampaignEnded', { campaignId: string; reason: string } & Signed>;

/** The settings in force from now on, whole (the defaults filled in), so a reader never needs the ones before. */
export type ReminderSettingsChanged = DomainEvent<'ReminderSettingsChanged', { campaignId: string; settings: ReminderSettings } & Signed>;

export type CampaignEvent = CampaignCreated | DispatchNoticeIssued | CampaignPaused | CampaignResumed | CampaignEnded | ReminderSettingsChanged;

export const CAMPAIGN_EVENT_TYPES: ReadonlyArray<CampaignEvent['type']> = [
  'CampaignCreated',
  'DispatchNoticeIssued',
  'CampaignPaused',
  'CampaignResumed',
  'CampaignEnded',
  'ReminderSettingsChanged',
];

export const CAMPAIGN_LIFECYCLES = ['active', 'paused', 'ended'] as const;
export type CampaignLifecycle = (typeof CAMPAIGN_LIFECYCLES)[number];
export const CAMPAIGN_LIFECYCLE_LABELS: Record<CampaignLifecycle, string> = { active: '进行中', paused: '已暂停', ended: '已结束' };

// ---------- state ----------

export type CampaignState =
  | { status: 'Empty' }
  | {
      status: 'Active';
      settings: CampaignSettings;
      lifecycle: CampaignLifecycle;
      lastNoticeSequence: number;
      createdBy: Actor;
      createdAt: string;
      /** Absent until the campaign sets them: the defaults. */
      reminderSettings?: ReminderSettings;
    };

/** The reminder settings a campaign's people get: its own, or the defaults (08:30 digest, quiet 21:00–08:00). */
export const reminderSettingsOf = (state: CampaignState): ReminderSettings =>
  (state.status === 'Active' ? state.reminderSettings : undefined) ?? DEFAULT_REMINDER_SETTINGS;

export const initialCampaignState = (): CampaignState => ({ status: 'Empty' });

export const formatNoticeNo = (prefix: string, year: number, sequence: number): string =>
  `${prefix}〔${year}〕${sequence}号`;

// ---------- decide ----------

export const decideCampaign = (command: CampaignCommand, state: CampaignState): CampaignEvent[] => {
  validateMetadata(command.metadata);
  const { actor, now } = command.metadata;
  const at = toUtcIso(now);

  switch (command.type) {
    case 'CreateCampaign': {
      requireRole(actor, ['admin']);
      const d = command.data;
      const campaignId = requireText(d.campaignId, 'campaignId', '专项行动编号');
      const name = requireText(d.name, 'name', '专项行动名称');
      const noticePrefix = requireText(d.noticePrefix, 'noticePrefix', '通知书文号前缀');
      const phases = validatePhases(d.phases);
      const policy = resolvePolicy(d.policy);
      const calendarOverrides = {
        restDays: (d.calendarOverrides?.restDays ?? []).map((x, i) => assertLocalDate(x, `calendarOverrides.restDays[${i}]`)),
        workDays: (d.calendarOverrides?.workDays ?? []).map((x, i) => assertLocalDate(x, `calendarOverrides.workDays[${i}]`)),
      };
      const clash = calendarOverrides.restDays.find((x) => calendarOverrides.workDays.includes(x));
      if (clash) {
        throw new InvalidInputError('CALENDAR_OVERRIDE_CONFLICT', 'calendarOverrides', `${clash} 不能同时设为休息日和工作日`);
      }
      if (state.status !== 'Empty') {
        throw new InvalidStateError('CAMPAIGN_ALREADY_EXISTS', '该专项行动已存在');
      }
      return [
        {
          type: 'CampaignCreated',
          data: { campaignId, name, noticePrefix, phases, policy, calendarOverrides, signedBy: actor, at },
        },
      ];
    }

    case 'IssueDispatchNotice': {
      // The findings' own decision checks each is the unit's self-found problem going to that unit.
      requireRole(actor, command.data.selfFoundBy !== undefined && command.data.selfFoundBy === actor.unitId ? ['supervisor', 'unit_official'] : ['supervisor']);
      const ids = command.data.findingIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => typeof x !== 'string' || !x.trim())) {
        throw new InvalidInputError('FINDINGS_REQUIRED', 'findingIds', '督办通知书至少包含一个问题');
      }
      if (new Set(ids).size !== ids.length) {
        throw new InvalidInputError('DUPLICATE_FINDINGS', 'findingIds', '督办通知书中问题重复');
      }
      if (state.status === 'Empty') {
        throw new NotFoundError('CAMPAIGN_NOT_FOUND', '专项行动不存在');
      }
      if (state.lifecycle === 'ended') {
        throw new InvalidStateError('CAMPAIGN_ENDED', '专项行动已结束，不能再交办');
      }
      const sequence = state.lastNoticeSequence + 1;
      const year = yearOf(shanghaiDateOf(at));
      return [
        {
          type: 'DispatchNoticeIssued',
          data: {
            campaignId: state.settings.campaignId,
            noticeNo: formatNoticeNo(state.settings.noticePrefix, year, sequence),
            sequence,
            year,
            findingIds: [...ids],
            signedBy: actor,
            at,
          },
        },
      ];
    }

    case 'PauseCampaign':
    case 'ResumeCampaign':
    case 'EndCampaign': {
      requireRole(actor, ['admin']);
      const reason = requireText(command.data.reason, 'reason', '原因');
      if (state.status === 'Empty') {
        throw new NotFoundError('CAMPAIGN_NOT_FOUND', '专项行动不存在');
      }
      const campaignId = state.settings.campaignId;
      if (state.lifecycle === 'ended') {
        throw new InvalidStateError('CAMPAIGN_ENDED', '专项行动已结束');
      }
      if (command.type === 'PauseCampaign') {
        if (state.lifecycle === 'paused') throw new InvalidStateError('CAMPAIGN_ALREADY_PAUSED', '专项行动已暂停');
        return [{ type: 'CampaignPaused', data: { campaignId, reason, signedBy: actor, at } }];
      }
      if (command.type === 'ResumeCampaign') {
        if (state.lifecycle !== 'paused') throw new InvalidStateError('CAMPAIGN_NOT_PAUSED', '专项行动未暂停');
        return [{ type: 'CampaignResumed', data: { campaignId, reason, signedBy: actor, at } }];
      }
      return [{ type: 'CampaignEnded', data: { campaignId, reason, signedBy: actor, at } }];
    }

    case 'ChangeReminderSettings': {
      requireRole(actor, ['admin']);
      const settings = resolveReminderSettings(command.data.settings, reminderSettingsOf(state));
      if (state.status === 'Empty') throw new NotFoundError('CAMPAIGN_NOT_FOUND', '专项行动不存在');
      if (state.lifecycle === 'ended') throw new InvalidStateError('CAMPAIGN_ENDED', '专项行动已结束');
      // The same settings again change nothing: no event, so the trail shows only real changes.
      if (sameReminderSettings(settings, reminderSettingsOf(state))) return [];
      return [{ type: 'ReminderSettingsChanged', data: { campaignId: state.settings.campaignId, settings, signedBy: actor, at } }];
    }

    default: {
      const unknownCommand: never = command;
      throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${(unknownCommand as { type: string }).type}`);
    }
  }
};

// ---------- evolve ----------

export const evolveCampaign = (state: CampaignState, event: CampaignEvent): CampaignState => {
  switch (event.type) {
    case 'CampaignCreated': {
      const { signedBy, at, ...settings } = event.data;
      // A policy field added later (e.g. verifyWithinWorkdays) takes its default for campaigns created before it.
      const policy = { ...DEFAULT_POLICY, ...settings.policy, ladder: { ...DEFAULT_POLICY.ladder, ...settings.policy.ladder } };
      return {
        status: 'Active',
        settings: { ...settings, policy },
        lifecycle: 'active',
        lastNoticeSequence: 0,
        createdBy: signedBy,
        createdAt: at,
      };
    }
    case 'DispatchNoticeIssued':
      if (state.status !== 'Active') return state;
      return { ...state, lastNoticeSequence: event.data.sequence };
    case 'CampaignPaused':
      return state.status === 'Active' ? { ...state, lifecycle: 'paused' } : state;
    case 'CampaignResumed':
      return state.status === 'Active' ? { ...state, lifecycle: 'active' } : state;
    case 'CampaignEnded':
      return state.status === 'Active' ? { ...state, lifecycle: 'ended' } : state;
    case 'ReminderSettingsChanged':
      return state.status === 'Active' ? { ...state, reminderSettings: event.data.settings } : state;
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
};

export const campaignDecider = {
  decide: decideCampaign,
  evolve: evolveCampaign,
  initialState: initialCampaignState,
};
