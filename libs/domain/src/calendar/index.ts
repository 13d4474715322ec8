export * from './official-data';
export * from './workday-calendar';
