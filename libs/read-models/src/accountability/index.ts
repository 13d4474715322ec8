export * from './accountability.projection';
export * from './self-check-accountability.projection';
export * from './accountability.query';
export * from './accountability.export';
export * from './accountability.sheet';
