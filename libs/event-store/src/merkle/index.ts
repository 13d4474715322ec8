export * from './rfc6962';
export * from './checkpoint';
