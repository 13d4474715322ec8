export * from './outbound-messages';
