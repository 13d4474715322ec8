export * from './checklist';
export * from './demo-county';
