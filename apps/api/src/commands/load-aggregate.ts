// The fold lives beside the write path in libs/event-store, shared with the worker's timers.
export { loadAggregate } from '@duban/event-store';
