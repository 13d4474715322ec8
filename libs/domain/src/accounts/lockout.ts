/**
 * Lockout with backoff, for one key (an account, a login that names nobody, a client address): every `threshold`
 * consecutive failures lock it for `baseSeconds`, doubling with each lockout in a row, capped at `maxSeconds`.
 * A success clears it. Pure: the caller passes the instant and keeps the state.
 */
export interface LockoutPolicy {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
}

export interface ThrottleState {
  failures: number;
  lockouts: number;
  lockedUntil: string | null;
}

export const CLEAR_THROTTLE: ThrottleState = Object.freeze({ failures: 0, lockouts: 0, lockedUntil: null });

/** Seconds until the key may try again (0: not locked), rounded up so a client that waits that long gets in. */
export function lockedForSeconds(state: ThrottleState, now: string): number {
  if (!state.lockedUntil) return 0;
  const ms = Date.parse(state.lockedUntil) - Date.parse(now);
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

export function afterFailure(state: ThrottleState, now: string, policy: LockoutPolicy): ThrottleState {
  const failures = state.failures + 1;
  if (failures < policy.threshold) return { ...state, failures };
  const lockouts = state.lockouts + 1;
  const seconds = Math.min(policy.baseSeconds * 2 ** Math.min(lockouts - 1, 30), policy.maxSeconds);
  return { failures: 0, lockouts, lockedUntil: new Date(Date.parse(now) + seconds * 1000).toISOString() };
}
