export * from './propagation';
export * from './self-check';
