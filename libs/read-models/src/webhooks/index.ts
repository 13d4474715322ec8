export * from './webhook-deliverer';
export * from './webhook-subscriptions.projection';
