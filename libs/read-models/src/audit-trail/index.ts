export * from './audit-trail.projection';
export * from './audit-trail.query';
export * from './changes';
export * from './summaries';
