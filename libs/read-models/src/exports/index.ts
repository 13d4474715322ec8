export * from './read-snapshot';
export * from './ledger-exports';
