/**
 * Typed domain failures. The API maps `kind` to an HTTP status in one place
 * (forbidden → 403, invalid_state → 409, invalid_input → 400, not_found → 404),
 * so every failure must pick its kind deliberately.
 */
export type DomainErrorKind = 'forbidden' | 'invalid_state' | 'invalid_input' | 'not_found';

/** Named rules a `forbidden` failure can cite; the discipline inspector reads these in refusals. */
export type ForbiddenRule =
  | 'SIGNER_OWNS_IT'
  | 'SEPARATION_OF_DUTIES'
  | 'UNIT_SCOPE'
  | 'READ_ONLY_ROLE'
  | 'ROLE_REQUIRED'
  | 'ADMIN_CANNOT_SIGN';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  readonly code: string;

  protected constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, code: this.code, message: this.message };
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
  readonly rule: ForbiddenRule;

  constructor(code: string, rule: ForbiddenRule, message: string) {
    super(code, message);
    this.rule = rule;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), rule: this.rule };
  }
}

export class InvalidStateError extends DomainError {
  readonly kind = 'invalid_state' as const;

  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class InvalidInputError extends DomainError {
  readonly kind = 'invalid_input' as const;
  readonly field: string;

  constructor(code: string, field: string, message: string) {
    super(code, message);
    this.field = field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;

  constructor(code: string, message: string) {
    super(code, message);
  }
}

export type AnyDomainError = ForbiddenError | InvalidStateError | InvalidInputError | NotFoundError;

export const isDomainError = (e: unknown): e is AnyDomainError => e instanceof DomainError;
