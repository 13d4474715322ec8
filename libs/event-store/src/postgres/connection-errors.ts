import type { Client, Pool } from 'pg';

/**
 * A pg client whose server goes away emits 'error' on itself; without a listener Node turns that into an uncaught
 * exception and the process dies. pg-pool listens only while a client sits idle in the pool, so a client checked out
 * for a transaction (or a long-lived Client) that loses its backend between two queries takes the process down. These
 * helpers give every connection a listener for its whole life; the broken client is then discarded (the pool drops it
 * on release, the next query connects anew).
 */
export type ConnectionErrorHandler = (err: Error, source: 'pool' | 'client') => void;

/** Attach to every Pool the product creates, right after creating it. */
export function guardPool(pool: Pool, onError: ConnectionErrorHandler): Pool {
  pool.on('error', (err) => onError(err, 'pool'));
  pool.on('connect', (client) => {
    client.on('error', (err) => onError(err, 'client'));
  });
  return pool;
}

/** Attach to every long-lived Client (migrations, CLIs, the launcher) before connecting it. */
export function guardClient<C extends Client>(client: C, onError: ConnectionErrorHandler): C {
  client.on('error', (err) => onError(err, 'client'));
  return client;
}

/**
 * SQLSTATEs that mean "the server is not there (now)", not "your statement is wrong": class 08 (connection
 * exception), 57P01..57P03 (admin/crash shutdown, cannot connect now) and 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
/** pg reports a socket closed under it, or a connect timeout, as a plain Error with only a message. */
const UNAVAILABLE_MESSAGE = /^Connection terminated|^Client has encountered a connection error|timeout exceeded when trying to connect|^Client was closed and is not queryable/;

/**
 * The KurrentDB client's error `type`s that mean "the server is not there (now)" (EVENT_STORE=kurrentdb): matched by
 * name so that PostgreSQL processes never load that client.
 */
const UNAVAILABLE_KURRENTDB = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader']);

/** True when the error says the database cannot be reached, so the caller should report "unavailable" and retry later. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message, cause, errors, type } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; type?: unknown };
    if (typeof type === 'string' && UNAVAILABLE_KURRENTDB.has(type)) return true;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    // Node's happy-eyeballs connect failure wraps one error per address.
    if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x))) return true;
    e = cause;
  }
  return false;
}
