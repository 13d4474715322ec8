import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { Pool } from 'pg';
import { CadenceSources, createProjections, DirectoryQuery, InboxNotifier, ProjectionRunner } from '@duban/read-models';
import { CadenceService, CampaignReminders, createWriteSide, FindingTimers, type MessagingAdapterName, type WriteSide } from '@duban/application';
import {
  EVENT_SIGNING_KEY,
  type EventSigner,
  type EventStoreSelection,
  guardPool,
  loadSigningKey,
  openEventStore,
  type OpenedEventStore,
} from '@duban/event-store';
import { WebhooksLifecycle } from './notifications/webhooks.lifecycle';
import { RemindersLifecycle } from './notifications/reminders.lifecycle';
import { openMessaging } from './notifications/messaging/messaging-adapter';
import { TemporalConfig, TemporalLifecycle } from './temporal/temporal.lifecycle';
import { integrityProviders } from './integrity/integrity.providers';
import { IntegrityConfig } from './integrity/merkle-sealer.lifecycle';

export interface WorkerConfig {
  appDatabaseUrl: string;
  pollIntervalMs: number;
  logLevel: string;
  /** Absent: the worker keeps the ledgers but runs no timers (the log keeps everything for when it is configured). */
  temporal?: TemporalConfig;
  /** Absent: no Merkle log sealing (the log catches up from its checkpoint once it runs). */
  integrity?: IntegrityConfig;
  /** Signs the events the worker's timers append (DUBAN_EVENT_SIGNING_KEY); absent, the development key. */
  eventSigner?: EventSigner;
  /** `EVENT_STORE` / `KURRENTDB_URL`; absent, PostgreSQL. Read models, checkpoints and the Merkle log stay in PostgreSQL. */
  eventStore?: EventStoreSelection;
  /** `DUBAN_MESSAGING`: the SMS / 政务 IM adapter; absent, `dev` (the log). */
  messaging?: MessagingAdapterName;
}

const systemClock = { now: () => new Date() };

export const WORKER_POOL = Symbol('WORKER_POOL');
/** The worker's write side: timers and the cadence share one store and one campaign context loader. */
const WRITE = Symbol('WRITE');
/** The store EVENT_STORE chose; its log source feeds the projections, the forwarder and the sealer. */
const STORE = Symbol('STORE');

/** Keeps the ledgers up to date: the projection runner checkpoints each batch in the same transaction as its rows. */
class ProjectionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly config: WorkerConfig,
    @Inject(WORKER_POOL) private readonly pool: Pool,
    @Inject(STORE) private readonly store: OpenedEventStore,
    private readonly notifier: InboxNotifier,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start(this.config.pollIntervalMs);
    this.notifier.subscription.start(this.config.pollIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    // Drain: the batch in flight commits (or rolls back) before the pool closes; the inbox notifier shares the pool.
    await Promise.all([this.runner.stop(), this.notifier.subscription.stop()]);
    await Promise.all([this.pool.end(), this.store.dispose()]);
  }
}

@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    const eventSigner = config.eventSigner ?? loadSigningKey(EVENT_SIGNING_KEY).signer;
    return {
      module: WorkerModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } })],
      providers: [
        { provide: 'WORKER_CONFIG', useValue: config },
        {
          provide: WORKER_POOL,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) => {
            // A connection dropped by the server (a restart, Ctrl-C reaching PostgreSQL first) must not take the worker
            // down mid-drain: the pass using it fails and is retried, the next query reconnects.
            return guardPool(new Pool({ connectionString: config.appDatabaseUrl, max: 5 }), (err, source) =>
              logger.warn({ err, source }, 'database connection lost'),
            );
          },
        },
        {
          provide: STORE,
          inject: [WORKER_POOL],
          useFactory: (pool: Pool) => openEventStore(config.eventStore ?? { kind: 'postgres' }, { pool, clock: systemClock, signer: eventSigner }),
        },
        {
          provide: ProjectionRunner,
          inject: [WORKER_POOL, PinoLogger, STORE],
          useFactory: async (pool: Pool, logger: PinoLogger, { logSource, store }: OpenedEventStore) => {
            logger.setContext('projections');
            // Audit summaries name units as people know them ("交办至 宁平镇"); the directory is read once at start.
            const names = await new DirectoryQuery(pool).allUnitNames();
            return new ProjectionRunner(pool, createProjections({ unitName: (id) => names.get(id) }), logger, { source: logSource, log: store });
          },
        },
        {
          provide: WRITE,
          inject: [STORE],
          useFactory: ({ store }: OpenedEventStore): WriteSide => {
            // Timers and the cadence only sign system commands: no unit reference to check, no notice to number.
            return createWriteSide({ store, clock: systemClock });
          },
        },
        {
          provide: FindingTimers,
          inject: [WRITE],
          useFactory: (write: WriteSide) => write.timers,
        },
        {
          provide: CadenceService,
          inject: [WRITE, WORKER_POOL, ProjectionRunner, PinoLogger],
          useFactory: (write: WriteSide, pool: Pool, projections: ProjectionRunner, logger: PinoLogger) => {
            logger.setContext('cadence');
            const official = async () => (await write.officialCalendars.current()).data;
            return new CadenceService(write, new CadenceSources(pool, projections, official), logger);
          },
        },
        ...(config.temporal
          ? [
              {
                provide: TemporalLifecycle,
                inject: [WORKER_POOL, FindingTimers, CadenceService, WRITE, PinoLogger, STORE],
                useFactory: (pool: Pool, timers: FindingTimers, cadence: CadenceService, write: WriteSide, logger: PinoLogger, store: OpenedEventStore) => {
                  logger.setContext('temporal');
                  return new TemporalLifecycle(config.temporal!, pool, timers, cadence, write.selfCheckTimers, logger, store.logSource);
                },
              },
            ]
          : []),
        ...(config.integrity ? integrityProviders(config.integrity, WORKER_POOL, STORE) : []),
        {
          // The in-app inbox: notices and its checkpoint in one transaction (libs/read-models/src/inbox).
          provide: InboxNotifier,
          inject: [WORKER_POOL, PinoLogger, STORE],
          useFactory: (pool: Pool, logger: PinoLogger, store: OpenedEventStore) => new InboxNotifier(pool, { logger, source: store.logSource }),
        },
        {
          provide: RemindersLifecycle,
          inject: [WORKER_POOL, WRITE, PinoLogger, InboxNotifier, STORE],
          useFactory: (pool: Pool, write: WriteSide, logger: PinoLogger, notifier: InboxNotifier, { store }: OpenedEventStore) =>
            new RemindersLifecycle({
              pool,
              campaigns: new CampaignReminders(write.campaignContexts),
              // SMS / 政务 IM: the adapter DUBAN_MESSAGING chose (checked at start); `dev` writes each text to this log.
              messaging: openMessaging(config.messaging ?? 'dev', logger),
              notifierSettled: async () => notifier.subscription.catchUpTo(await store.head(), { timeoutMs: 5_000 }),
              logger,
            }),
        },
        {
          provide: WebhooksLifecycle,
          inject: [WORKER_POOL, PinoLogger, STORE],
          useFactory: (pool: Pool, logger: PinoLogger, store: OpenedEventStore) => new WebhooksLifecycle(pool, config.pollIntervalMs, logger, store.logSource),
        },
        {
          provide: ProjectionLifecycle,
          inject: [ProjectionRunner, 'WORKER_CONFIG', WORKER_POOL, STORE, InboxNotifier],
          useFactory: (runner: ProjectionRunner, cfg: WorkerConfig, pool: Pool, store: OpenedEventStore, notifier: InboxNotifier) =>
            new ProjectionLifecycle(runner, cfg, pool, store, notifier),
        },
      ],
      exports: [ProjectionRunner, FindingTimers, CadenceService, InboxNotifier],
    };
  }
}
