export * from './directory.query';
export * from './directory-views.query';
export * from './directory.projection';
export * from './directory-projector';
