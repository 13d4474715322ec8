export * from './finding-list';
export * from './finding-list-columns';
export * from './names';
