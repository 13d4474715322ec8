export * from './campaigns.projection';
export * from './campaigns.query';
