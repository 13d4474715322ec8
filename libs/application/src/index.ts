export * from './commands';
export * from './campaign-contexts';
export * from './reference-checks';
export * from './finding-commands';
export * from './campaign-commands';
export * from './inspection-commands';
export * from './write-side';
export * from './importer';
