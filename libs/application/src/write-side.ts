import { type CommandClock, CommandRunner, type EventStore, KeyedMutex, type StreamLocks } from '@duban/event-store';
import { AccountCommands } from './account-commands';
import { CampaignCommands } from './campaign-commands';
import { CampaignContexts } from './campaign-contexts';
import { FindingCommands } from './finding-commands';
import { InspectionCommands } from './inspection-commands';
import type { UnitDirectory } from './reference-checks';

export interface WriteSide {
  runner: CommandRunner;
  campaignContexts: CampaignContexts;
  findings: FindingCommands;
  campaigns: CampaignCommands;
  inspections: InspectionCommands;
  accounts: AccountCommands;
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
}

const NO_DIRECTORY: UnitDirectory = { unit: async () => null };

/** Every aggregate's command service over one store, one clock and one campaign context loader. */
export function createWriteSide(deps: WriteSideDeps): WriteSide {
  const runner = new CommandRunner(deps.store, deps.clock);
  const campaignContexts = new CampaignContexts(deps.store);
  return {
    runner,
    campaignContexts,
    findings: new FindingCommands(deps.store, runner, campaignContexts, deps.locks ?? new KeyedMutex(), deps.units ?? NO_DIRECTORY),
    campaigns: new CampaignCommands(runner, campaignContexts),
    inspections: new InspectionCommands(deps.store, runner, campaignContexts, deps.units ?? NO_DIRECTORY),
    accounts: new AccountCommands(deps.store, runner),
  };
}
