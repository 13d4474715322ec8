export * from './inbox-notifier';
export * from './inbox.query';
