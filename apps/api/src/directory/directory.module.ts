import { Global, Module } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Pool } from 'pg';
import { DirectoryProjector } from '@duban/read-models';
import { PG_POOL } from '../database/database.module';
import { DirectoryRepository } from './directory.repository';
import { DirectoryWriter } from './directory-writer';

@Global()
@Module({
  providers: [
    DirectoryRepository,
    {
      provide: DirectoryProjector,
      inject: [PG_POOL, PinoLogger],
      useFactory: (pool: Pool, logger: PinoLogger) => new DirectoryProjector(pool, logger),
    },
    DirectoryWriter,
  ],
  exports: [DirectoryRepository, DirectoryProjector, DirectoryWriter],
})
export class DirectoryModule {}
