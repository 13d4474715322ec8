export * from './rectification-ledger.projection';
export * from './rectification-ledger.query';
