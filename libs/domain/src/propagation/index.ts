export * from './origin';
export * from './propagation';
export * from './self-check';
