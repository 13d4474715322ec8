export * from './campaign';
export * from './deadline';
export * from './phases';
export * from './policy';
