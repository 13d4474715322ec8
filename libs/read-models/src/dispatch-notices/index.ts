export * from './dispatch-notices.projection';
export * from './dispatch-notices.query';
