export * from './rectification-ledger.projection';
export * from './rectification-ledger.query';
export * from './rectification-ledger.export';
export * from './rectification-ledger.sheet';
export * from './evidence-owners.query';
