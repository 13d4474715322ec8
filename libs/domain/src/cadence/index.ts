export * from './cadence';
export * from './inspection-day';
export * from './reports';
export * from './scoring';
