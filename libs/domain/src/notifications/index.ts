export * from './audience';
export * from './settings';
export * from './reminders';
export * from './routing';
export * from './receipts';
export * from './digest';
export * from './webhook-subscription';
