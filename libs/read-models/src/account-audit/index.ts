export * from './account-audit.projection';
export * from './account-audit.query';
