import { Provider } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { MerkleLogSealer, type OpenedEventStore } from '@duban/event-store';
import { IntegrityConfig, MerkleSealerLifecycle } from './merkle-sealer.lifecycle';
import { loadLogSigningKey } from './signing-key';

const systemClock = { now: () => new Date() };

/** The Merkle log sealer and its timer; `pool` is the worker's pool token, `store` the event store's (its log source). */
export function integrityProviders(config: IntegrityConfig, poolToken: symbol, storeToken?: symbol): Provider[] {
  return [
    {
      provide: MerkleLogSealer,
      inject: [poolToken, PinoLogger, ...(storeToken ? [storeToken] : [])],
      useFactory: (pool: Pool, logger: PinoLogger, store?: OpenedEventStore) => {
        const key = loadLogSigningKey();
        logger.info({ keyId: key.signer.keyId, source: key.source, path: key.path }, 'log signing key loaded');
        return new MerkleLogSealer(pool, key.signer, systemClock, { source: store?.logSource });
      },
    },
    {
      provide: MerkleSealerLifecycle,
      inject: [MerkleLogSealer, PinoLogger],
      useFactory: (sealer: MerkleLogSealer, logger: PinoLogger) => new MerkleSealerLifecycle(sealer, config, logger),
    },
  ];
}
