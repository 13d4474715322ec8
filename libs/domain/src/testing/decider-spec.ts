/**
 * A tiny given / when / then harness for deciders (after Emmett's DeciderSpecification), for jest specs.
 * Given past events, when a command is decided, then exactly these events — or this typed failure.
 */
export type Decider<Command, Event, State, Context> = {
  decide: (command: Command, state: State, context: Context) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
};

export type ExpectedFailure = {
  kind: 'forbidden' | 'invalid_state' | 'invalid_input' | 'not_found';
  code?: string;
  rule?: string;
  field?: string;
};

export const deciderSpec = <Command, Event, State, Context>(
  decider: Decider<Command, Event, State, Context>,
  context: Context,
) => ({
  given: (events: readonly Event[]) => ({
    when: (command: Command) => {
      const run = (): Event[] => decider.decide(command, events.reduce(decider.evolve, decider.initialState()), context);
      return {
        then: (expected: readonly Event[]): Event[] => {
          const actual = run();
          expect(actual).toEqual(expected);
          return actual;
        },
        /** When the exact payload is asserted elsewhere; returns the events for further checks. */
        thenEvents: (): Event[] => run(),
        thenThrows: (expected: ExpectedFailure): void => {
          let thrown: unknown;
          try {
            run();
          } catch (e) {
            thrown = e;
          }
          expect(thrown).toBeDefined();
          expect(thrown).toMatchObject(expected);
        },
      };
    },
  }),
});
