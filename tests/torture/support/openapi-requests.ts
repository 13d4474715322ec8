import fc from 'fast-check';
import { OpenApiDocument, OperationObject, resolve, SchemaNode } from './openapi-schema';

// Requests for one operation of the OpenAPI document, as fast-check arbitraries: mostly well-formed values (known
// ids of the seeded county where a parameter or property names one) so the fuzzer reaches the handlers, and a
// share of hostile ones — wrong types, out-of-range numbers, NUL and lone surrogates, huge and empty strings,
// prototype keys, malformed JSON, missing or reused idempotency keys.

export interface Operation {
  method: string;
  /** The path template, `/findings/{findingId}`. */
  path: string;
  operationId: string;
  spec: OperationObject;
}

/** Known good values by parameter or property name (a list's items use its singular: findingIds → findingId). */
export type KnownValues = Record<string, string[]>;

export interface FuzzRequest {
  role: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** `fresh`: a new key at send time; `reuse`: the previous request's key; `none`; or a literal value. */
  idempotencyKey: string;
  /** The Content-Type of a request with a body. */
  contentType?: string;
  body?: FuzzBody;
}

/**
 * A body: a JSON value, bytes that are not JSON, a valid-looking JSON text of `huge` characters, or `deep` levels of
 * nested arrays or objects — the last two built at send time so a counterexample prints short.
 */
export type FuzzBody = { json: unknown } | { raw: string } | { huge: number } | { deep: number; of: 'array' | 'object' };

export function bodyText(body: FuzzBody): string {
  if ('raw' in body) return body.raw;
  if ('huge' in body) return JSON.stringify({ description: 'x'.repeat(body.huge) });
  if ('deep' in body) {
    const [open, close] = body.of === 'array' ? ['[', ']'] : ['{"a":', '}'];
    return `{"description":${open.repeat(body.deep)}${body.of === 'array' ? '' : '1'}${close.repeat(body.deep)}}`;
  }
  return JSON.stringify(body.json);
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, spec]) => ({ method, path, operationId: spec.operationId ?? `${method} ${path}`, spec })),
    )
    .sort((a, b) => a.operationId.localeCompare(b.operationId));
}

const NASTY = [
  '', ' ', '0', '-1', '1e21', '1.5', 'NaN', 'null', 'true', '9'.repeat(30), 'a\u0000b', '\ud800', '\u202e', '../..', '%',
  '__proto__', 'constructor', "'; DROP TABLE events; --", '😀', '<script>', 'x'.repeat(5000),
];

/** Strings a URL can carry (encodeURIComponent throws on a lone surrogate). */
const urlSafe = (s: string) => {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};

const junkString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  junkString,
  fc.constantFrom(null, true, false, 0, -1, 1e21, 1.5, Number.MAX_SAFE_INTEGER, [], {}, { __proto__: null, constructor: 1 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const singular = (name: string) => (name.endsWith('s') ? name.slice(0, -1) : name);

/** A value of the schema; with `hostile`, any part of it may be junk instead. */
function validValue(
  doc: OpenApiDocument,
  schema: SchemaNode,
  name: string,
  known: KnownValues,
  depth: number,
  hostile = false,
): fc.Arbitrary<unknown> {
  const child = (sub: SchemaNode, childName: string) =>
    hostile ? anyValue(doc, sub, childName, known, depth + 1) : validValue(doc, sub, childName, known, depth + 1);
  const s = resolve(doc, schema);
  const knownHere = known[name];
  if (knownHere?.length && (s.type === 'string' || s.type === undefined) && !s.enum) return fc.constantFrom(...knownHere);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'string':
      return fc.oneof(
        { arbitrary: s.example !== undefined ? fc.constant(String(s.example)) : fc.string({ minLength: 1, maxLength: 12 }), weight: 3 },
        { arbitrary: fc.string({ minLength: 1, maxLength: Math.min(s.maxLength ?? 60, 60) }), weight: 1 },
      );
    case 'integer':
    case 'number':
      return fc.integer({ min: s.minimum ?? -5, max: s.maximum ?? Math.max(50, (s.minimum ?? 0) + 50) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(child(s.items ?? {}, singular(name)), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 4, 4),
      });
    case 'object':
    default:
      if (!s.properties || depth > 4) return fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));
      return fc.record(
        Object.fromEntries(Object.entries(s.properties).map(([key, sub]) => [key, child(sub, key)])),
        { requiredKeys: s.required ?? [] },
      );
  }
}

/** Mostly a value of the schema, sometimes anything at all. */
function anyValue(doc: OpenApiDocument, schema: SchemaNode, name: string, known: KnownValues, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: validValue(doc, schema, name, known, depth, true), weight: 9 }, { arbitrary: junkValue, weight: 1 });
}

const asParam = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Numbers as a query string spells them, past every bound a parser or a bigint column has. */
const junkNumeral = fc.oneof(
  fc.constantFrom('1e21', '1e308', '-0', '0x10', '1.0', ' 1', '9007199254740993', '99999999999999999999', 'Infinity'),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
);

function paramValue(doc: OpenApiDocument, schema: SchemaNode | undefined, name: string, known: KnownValues): fc.Arbitrary<string> {
  const s = resolve(doc, schema ?? { type: 'string' });
  const numeric = s.type === 'integer' || s.type === 'number';
  return fc
    .oneof(
      { arbitrary: validValue(doc, s, name, known, 0).map(asParam), weight: 6 },
      { arbitrary: numeric ? fc.oneof(junkNumeral, junkString) : junkString, weight: 1 },
    )
    .filter(urlSafe);
}

export function requestArbitrary(doc: OpenApiDocument, op: Operation, roles: string[], known: KnownValues): fc.Arbitrary<FuzzRequest> {
  const params = op.spec.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const needsKey = params.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
  const bodySchema = op.spec.requestBody?.content['application/json']?.schema;

  const path = fc
    // An empty segment is another route (`/campaigns/` lists what `/campaigns/{id}` gets), not this operation.
    .tuple(...pathParams.map((p) => paramValue(doc, p.schema, p.name, known).filter((v) => v !== '')))
    .map((values) => pathParams.reduce((acc, p, i) => acc.replace(`{${p.name}}`, encodeURIComponent(values[i])), op.path));
  const query = fc.record(
    Object.fromEntries(queryParams.map((p) => [p.name, paramValue(doc, p.schema, p.name, known)])),
    { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
  ) as fc.Arbitrary<Record<string, string>>;
  const idempotencyKey = needsKey
    ? fc.oneof(
        { arbitrary: fc.constant('fresh'), weight: 12 },
        { arbitrary: fc.constantFrom('reuse', 'none'), weight: 2 },
        { arbitrary: junkString.filter((s) => /^[\x20-\x7e]*$/.test(s) && s !== 'fresh' && s !== 'reuse'), weight: 1 },
      )
    : fc.constant('none');
  const body: fc.Arbitrary<FuzzBody | undefined> = bodySchema
    ? fc.oneof(
        { arbitrary: validValue(doc, bodySchema, '', known, 0).map((json) => ({ json })), weight: 12 },
        { arbitrary: validValue(doc, bodySchema, '', known, 0, true).map((json) => ({ json })), weight: 12 },
        { arbitrary: junkValue.map((json) => ({ json })), weight: 2 },
        { arbitrary: fc.constantFrom('{', '{"a":', 'nul', '[1,]', '\u0000', '{"__proto__":{"x":1}}').map((raw) => ({ raw })), weight: 2 },
        { arbitrary: fc.integer({ min: 50_000, max: 200_000 }).map((huge) => ({ huge })), weight: 1 },
        { arbitrary: fc.record({ deep: fc.integer({ min: 10, max: 20_000 }), of: fc.constantFrom('array' as const, 'object' as const) }), weight: 1 },
      )
    : fc.constant(undefined);
  const contentType = bodySchema
    ? fc.oneof(
        { arbitrary: fc.constant('application/json'), weight: 20 },
        {
          arbitrary: fc.constantFrom(
            'application/json; charset=utf-8',
            'application/json; charset=latin1',
            'application/json; charset=utf-16',
            'text/plain',
            'application/x-www-form-urlencoded',
          ),
          weight: 1,
        },
      )
    : fc.constant(undefined);

  return fc.record({
    role: fc.constantFrom(...roles),
    method: fc.constant(op.method),
    path,
    query,
    idempotencyKey,
    contentType,
    body,
  });
}
