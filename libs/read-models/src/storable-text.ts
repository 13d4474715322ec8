import type { RecordedEvent } from '@duban/event-store';

/**
 * What PostgreSQL cannot hold in `text` or `jsonb`: NUL (`invalid byte sequence for encoding "UTF8": 0x00`) and a
 * UTF-16 surrogate without its pair (jsonb refuses the `\ud800` escape; text would get it mangled by the driver).
 */
const UNSTORABLE_SOURCE = '\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSTORABLE = new RegExp(UNSTORABLE_SOURCE, 'g');
// A separate, non-global one for testing: a global RegExp's test() carries lastIndex from one call to the next.
const HAS_UNSTORABLE = new RegExp(UNSTORABLE_SOURCE);
const REPLACEMENT = '\ufffd';

export const storableText = (s: string): string => s.replace(UNSTORABLE, REPLACEMENT);

/**
 * The value with every string (and object key) made storable; the same object when nothing needed it, so the
 * common case copies nothing. Read models show U+FFFD where the event has the unstorable character: the event
 * itself, in the log, stays the truth and keeps its hash.
 */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return (HAS_UNSTORABLE.test(value) ? storableText(value) : value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const s = storable(v);
      changed ||= s !== v;
      return s;
    });
    return (changed ? out : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const key = storable(k);
      const s = storable(v);
      changed ||= key !== k || s !== v;
      out[key] = s;
    }
    return (changed ? out : value) as T;
  }
  return value;
}

/** The event as projections see it: its data and metadata storable, everything else as recorded. */
export function storableEvent(e: RecordedEvent): RecordedEvent {
  const data = storable(e.data);
  const metadata = storable(e.metadata);
  return data === e.data && metadata === e.metadata ? e : { ...e, data, metadata };
}
