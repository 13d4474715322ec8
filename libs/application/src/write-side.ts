import { type CommandClock, CommandRunner, type EventStore, KeyedMutex, type StreamLocks } from '@duban/event-store';
import { CadenceReportCommands } from './cadence-report-commands';
import { AccountCommands } from './account-commands';
import { CampaignCommands } from './campaign-commands';
import { CampaignContexts } from './campaign-contexts';
import { type DirectoryLookup, DirectoryCommands } from './directory-commands';
import { FindingCommands } from './finding-commands';
import { FindingTimers } from './finding-timers';
import { InspectionCommands } from './inspection-commands';
import { NoticeReceiptCommands } from './notice-receipts';
import { type WebhookSecretVault, WebhookSubscriptionCommands } from './notifications/webhook-subscriptions';
import { OfficialCalendarCommands, OfficialCalendars } from './official-calendars';
import { PropagationCommands, type UnitRoster } from './propagation-commands';
import { SelfCheckTimers } from './self-check-timers';
import type { EvidenceCatalog, UnitDirectory } from './reference-checks';

export interface WriteSide {
  runner: CommandRunner;
  campaignContexts: CampaignContexts;
  findings: FindingCommands;
  /** The finding workflow's timers: planned from the stream, fired as system commands through `findings`. */
  timers: FindingTimers;
  campaigns: CampaignCommands;
  inspections: InspectionCommands;
  cadenceReports: CadenceReportCommands;
  officialCalendars: OfficialCalendars;
  calendars: OfficialCalendarCommands;
  directory: DirectoryCommands;
  accounts: AccountCommands;
  propagations: PropagationCommands;
  /** A self-check task's deadline timer: planned from its stream, fired through `propagations`. */
  selfCheckTimers: SelfCheckTimers;
  /** 已阅回执: opening an inbox notice, signed on the reader's stream. */
  receipts: NoticeReceiptCommands;
  /** 外部系统订阅: signed events per subscription; the secrets go to `webhookSecrets`. */
  webhooks: WebhookSubscriptionCommands;
}

export interface WriteSideDeps {
  store: EventStore;
  clock: CommandClock;
  /** The directory's units; absent (a worker that only fires timers), every unit reference is unknown. */
  units?: UnitDirectory;
  /**
   * The campaign notice lock. Several processes dispatching one campaign need one that spans them (PostgreSQL advisory
   * locks, as the API uses); a single writer may use the in-process default.
   */
  locks?: StreamLocks;
  /** The evidence uploads; absent (the worker's timers, the test drivers), evidence references are decided as given. */
  evidence?: EvidenceCatalog;
  /** The directory projection's cross-stream facts; absent (a worker that only fires timers), none are known. */
  directory?: DirectoryLookup;
  /** The directory's list of units (举一反三 to all towns / all departments); absent, those scopes ask nobody. */
  roster?: UnitRoster;
  /** Where webhook secrets are held; absent (a worker that only fires timers), subscribing is refused. */
  webhookSecrets?: WebhookSecretVault;
}

const NO_DIRECTORY: UnitDirectory = { unit: async () => null };
const NO_VAULT: WebhookSecretVault = {
  put: async () => {
    throw new Error('这个进程不保存 webhook 签名密钥 (NO_WEBHOOK_SECRET_VAULT)');
  },
};
const NO_LOOKUP: DirectoryLookup = {
  activePeopleIn: async () => 0,
  activeChildrenOf: async () => 0,
  activeHolderOfPhone: async () => null,
};

/** Every aggregate's command service over one store, one clock and one campaign context loader. */
export function createWriteSide(deps: WriteSideDeps): WriteSide {
  const runner = new CommandRunner(deps.store, deps.clock);
  const officialCalendars = new OfficialCalendars(deps.store);
  const campaignContexts = new CampaignContexts(deps.store, officialCalendars);
  const findings = new FindingCommands(deps.store, runner, campaignContexts, deps.locks ?? new KeyedMutex(), deps.units ?? NO_DIRECTORY, deps.evidence);
  const propagations = new PropagationCommands(deps.store, runner, campaignContexts, findings, deps.units ?? NO_DIRECTORY, deps.roster ?? { activeUnitIds: async () => [] });
  return {
    runner,
    campaignContexts,
    findings,
    timers: new FindingTimers(deps.store, findings, campaignContexts),
    campaigns: new CampaignCommands(runner, campaignContexts),
    inspections: new InspectionCommands(deps.store, runner, campaignContexts, deps.units ?? NO_DIRECTORY),
    cadenceReports: new CadenceReportCommands(deps.store, runner),
    officialCalendars,
    calendars: new OfficialCalendarCommands(runner, officialCalendars),
    directory: new DirectoryCommands(deps.store, runner, deps.directory ?? NO_LOOKUP),
    accounts: new AccountCommands(deps.store, runner),
    propagations,
    selfCheckTimers: new SelfCheckTimers(propagations),
    receipts: new NoticeReceiptCommands(deps.store, runner),
    webhooks: new WebhookSubscriptionCommands(deps.store, runner, deps.webhookSecrets ?? NO_VAULT),
  };
}
