export * from './event-store.port';
export * from './errors';
export * from './canonical-json';
export * from './hash-chain';
export * from './chain-check';
export * from './global-position';
export * from './event-signatures';
export * from './signing-keys';
export * from './postgres/postgres-event-store';
export * from './postgres/transaction';
export * from './postgres/migrator';
export * from './postgres/database-urls';
export * from './postgres/verify-chains';
export * from './command-runner';
export * from './stream-locks';
export * from './postgres/advisory-locks';
export * from './load-aggregate';
export * from './merkle';
export * from './postgres/merkle-log';
export * from './postgres/subscription-checkpoints';
export * from './subscription.port';
export * from './postgres/log-subscription';
export * from './postgres/connection-errors';
export * from './postgres/database-location';
export * from './polling-loop';
// The KurrentDB adapter itself is imported from '@duban/event-store/kurrentdb' only where it is chosen: its client
// takes a third of a second to load, which no PostgreSQL process or test should pay.
export * from './kurrentdb/connection-string';
