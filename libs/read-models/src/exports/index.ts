export * from './read-snapshot';
export * from './ledger-export-source';
export * from './sheet';
