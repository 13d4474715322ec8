export * from './rules';
export * from './units';
export * from './people';
