export * from './unit-digests';
export * from './digests.query';
