import { Inject, Injectable } from '@nestjs/common';
import { CommandRunner as WritePath, EVENT_STORE, EventStore } from '@duban/event-store';
import { CLOCK, Clock } from '../database/database.module';

export type { CommandRequest, Decision, DecisionTools } from '@duban/event-store';

/** The shared write path (libs/event-store), wired to the API's store and clock. */
@Injectable()
export class CommandRunner extends WritePath {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(CLOCK) clock: Clock) {
    super(store, clock);
  }
}
