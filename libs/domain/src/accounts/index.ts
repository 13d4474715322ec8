export * from './account';
export * from './lockout';
export * from './password-rules';
