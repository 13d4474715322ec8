import type { Actor } from './actor';

/** What every command carries besides its data: the injected clock and the authenticated actor. */
export type CommandMetadata = {
  /** ISO instant from the server clock; the domain never reads a clock itself. */
  now: string;
  actor: Actor;
};

export type Command<Type extends string, Data extends object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

/** Events are facts; who/when live in `data` (signedBy, at) so they are hashed with the payload. */
export type DomainEvent<Type extends string, Data extends object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/** Every event a person causes is signed. */
export type Signed = {
  signedBy: Actor;
  at: string;
};
