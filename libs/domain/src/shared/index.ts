export * from './actor';
export * from './errors';
export * from './guards';
export * from './local-date';
export * from './messages';
