export * from './connection-string';
export * from './positions';
export * from './event-mapping';
export * from './command-records';
export * from './kurrentdb-event-store';
export * from './verify-kurrentdb-chains';
