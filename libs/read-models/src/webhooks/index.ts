export * from './webhook-deliverer';
