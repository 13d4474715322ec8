export * from './audience';
export * from './reminders';
export * from './routing';
export * from './receipts';
