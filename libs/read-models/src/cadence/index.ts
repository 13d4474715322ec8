export * from './cadence.contract';
export * from './inspection-reports.projection';
export * from './cadence-reports.projection';
export * from './campaign-lifecycle.projection';
export * from './inspection-reports.query';
export * from './cadence-reports.query';
export * from './cadence-sources';
