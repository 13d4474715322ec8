export * from './propagation.projection';
export * from './propagation.query';
