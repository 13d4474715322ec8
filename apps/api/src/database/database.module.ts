import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, PostgresEventStore } from '@duban/event-store';
import { DUBAN_CONFIG, DubanConfig } from '../config/config';

export const PG_POOL = Symbol('PG_POOL');
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [DUBAN_CONFIG],
      useFactory: (config: DubanConfig) => new Pool({ connectionString: config.appDatabaseUrl, max: 20 }),
    },
    { provide: CLOCK, useValue: systemClock },
    {
      provide: EVENT_STORE,
      inject: [PG_POOL, CLOCK],
      useFactory: (pool: Pool, clock: Clock) => new PostgresEventStore(pool, clock),
    },
  ],
  exports: [PG_POOL, CLOCK, EVENT_STORE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
