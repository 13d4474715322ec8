export * from './accountability.projection';
export * from './accountability.query';
