// Test helpers only (they use jest's global `expect`); import from '@duban/domain/testing', never from app code.
export * from './decider-spec';
export * from './fixtures';
