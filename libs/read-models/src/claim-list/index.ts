export * from './claim-list.projection';
export * from './claim-list.query';
export * from './claim-list.export';
export * from './claim-list.sheet';
