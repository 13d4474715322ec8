export * from './decide';
export * from './evidence';
export * from './evolve';
export * from './sources';
export * from './timers';
export * from './types';
export * from './dispatch';

import { decide } from './decide';
import { evolve, initialState } from './evolve';

export const findingDecider = { decide, evolve, initialState };
