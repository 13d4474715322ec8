export * from './directory.query';
