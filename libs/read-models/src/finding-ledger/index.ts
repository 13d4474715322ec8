export * from './finding-ledger.projection';
export * from './finding-ledger.query';
