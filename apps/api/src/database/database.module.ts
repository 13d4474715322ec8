import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, guardPool, PostgresEventStore } from '@duban/event-store';
import { DUBAN_CONFIG, DubanConfig } from '../config/config';

const logger = new Logger('Database');

export const PG_POOL = Symbol('PG_POOL');
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

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
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        {
          provide: EVENT_STORE,
          inject: [PG_POOL, CLOCK],
          useFactory: (pool: Pool, clock: Clock) => new PostgresEventStore(pool, clock),
        },
      ],
      exports: [PG_POOL, CLOCK, EVENT_STORE],
    };
  }

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
