export * from './finding-ledger.projection';
export * from './finding-ledger.query';
export * from './finding-ledger.export';
export * from './finding-ledger.sheet';
