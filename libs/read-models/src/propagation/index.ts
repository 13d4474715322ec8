export * from './propagation.projection';
export * from './propagation.query';
export * from './propagation.export';
export * from './propagation.sheet';
