// Public API of the pure domain. Test helpers live in '@duban/domain/testing' and are not exported here.
export * from './shared';
export * from './calendar';
export * from './campaigns';
export * from './cadence';
export * from './findings';
export * from './reference';
export * from './directory';
export * from './accounts';
export * from './imports';
export * from './propagation';
export * from './notifications';
