export * from './official-data';
export * from './official-notice';
export * from './workday-calendar';
