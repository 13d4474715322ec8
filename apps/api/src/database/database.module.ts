import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import {
  EVENT_SIGNING_KEY,
  EVENT_STORE,
  type EventSigner,
  guardPool,
  loadSigningKey,
  openEventStore,
  type OpenedEventStore,
  PostgresAdvisoryLocks,
  STREAM_LOCKS,
} from '@duban/event-store';
import { DUBAN_CONFIG, DubanConfig } from '../config/config';

const logger = new Logger('Database');

export const PG_POOL = Symbol('PG_POOL');
/** The key that signs every appended event (its public half is published at /integrity/event-public-key). */
export const EVENT_SIGNER = Symbol('EVENT_SIGNER');
/** The advisory locks' own connections (see PostgresAdvisoryLocks): never the pool their holders work through. */
const LOCK_POOL = Symbol('LOCK_POOL');
/** The store EVENT_STORE chose, with what closes it. */
const OPENED_STORE = Symbol('OPENED_STORE');
export const CLOCK = Symbol('CLOCK');

export type { Clock } from '@duban/event-store';
import type { Clock } from '@duban/event-store';

export const systemClock: Clock = { now: () => new Date() };

/** The server's clock is injected everywhere (events' `at`, overdue); tests pass a clock they control. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  static forRoot(options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: PG_POOL,
          inject: [DUBAN_CONFIG],
          useFactory: (config: DubanConfig) => {
            // A connection dropped by the server (a restart) must not take the process down: the request using it
            // fails with 503 and the next query reconnects.
            return guardPool(new Pool({ connectionString: config.appDatabaseUrl, max: 20 }), (err, source) =>
              logger.warn({ err, source }, 'database connection lost'),
            );
          },
        },
        {
          provide: LOCK_POOL,
          inject: [DUBAN_CONFIG],
          useFactory: (config: DubanConfig) => {
            return guardPool(new Pool({ connectionString: config.appDatabaseUrl, max: 4 }), (err, source) =>
              logger.warn({ err, source }, 'lock connection lost'),
            );
          },
        },
        { provide: STREAM_LOCKS, inject: [LOCK_POOL], useFactory: (pool: Pool) => new PostgresAdvisoryLocks(pool) },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        {
          provide: EVENT_SIGNER,
          inject: [DUBAN_CONFIG],
          useFactory: (config: DubanConfig) => config.eventSigner ?? loadSigningKey(EVENT_SIGNING_KEY).signer,
        },
        {
          provide: OPENED_STORE,
          inject: [DUBAN_CONFIG, PG_POOL, CLOCK, EVENT_SIGNER],
          useFactory: (config: DubanConfig, pool: Pool, clock: Clock, signer: EventSigner) => {
            const selection = config.eventStore ?? { kind: 'postgres' };
            if (selection.kind === 'kurrentdb') logger.log(`event store: KurrentDB at ${selection.url.redacted}`);
            return openEventStore(selection, { pool, clock, signer });
          },
        },
        // The advisory locks stay in PostgreSQL with KurrentDB too: they only order the decisions, the append's
        // expected revision is what guarantees them.
        { provide: EVENT_STORE, inject: [OPENED_STORE], useFactory: (opened: OpenedEventStore) => opened.store },
      ],
      exports: [PG_POOL, CLOCK, EVENT_STORE, STREAM_LOCKS, EVENT_SIGNER],
    };
  }

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOCK_POOL) private readonly lockPool: Pool,
    @Inject(OPENED_STORE) private readonly opened: OpenedEventStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pool.end(), this.lockPool.end(), this.opened.dispose()]);
  }
}
