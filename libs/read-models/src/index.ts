export * from './projection';
export * from './projection-runner';
export * from './projection-health';
export * from './storable-text';
export type { Page, Paging } from './support';
export { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './support';
export * from './finding-ledger';
export * from './claim-list';
export * from './rectification-ledger';
export * from './audit-trail';
export * from './campaigns';
export * from './accountability';
export * from './dispatch-notices';
export * from './exports';
export * from './cadence';
export * from './directory';
// createProjections() and ALL_PROJECTIONS live in registry.ts, apart from the barrel that re-exports it.
export { createProjections, ALL_PROJECTIONS } from './registry';
export type { ProjectionOptions, ProjectionName } from './registry';
