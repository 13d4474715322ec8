// The subset of OpenAPI 3.0 schemas that @nestjs/swagger emits, read two ways: a validator for response bodies and,
// in openapi-requests.ts, generators of request values. Written here rather than borrowed from a JSON Schema library:
// OpenAPI 3.0's `nullable` and `$ref` are not JSON Schema, and the subset is small.

export interface SchemaNode {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  example?: unknown;
  additionalProperties?: boolean | SchemaNode;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaNode> };
}

export interface OperationObject {
  operationId?: string;
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: SchemaNode }>;
  requestBody?: { required?: boolean; content: Record<string, { schema?: SchemaNode }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: SchemaNode }> }>;
}

export function resolve(doc: OpenApiDocument, schema: SchemaNode): SchemaNode {
  let s = schema;
  for (let hops = 0; s.$ref; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${schema.$ref}`);
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;

/**
 * Every place `value` departs from `schema`, as `path: what` lines (empty when it conforms). Objects with declared
 * properties are closed: an undeclared key is reported.
 */
export function validate(doc: OpenApiDocument, schema: SchemaNode, value: unknown, path = '$'): string[] {
  const s = resolve(doc, schema);
  if (value === null) return s.nullable || (s.allOf?.some((x) => resolve(doc, x).nullable) ?? false) ? [] : [`${path}: null where not nullable`];
  const errors: string[] = [];
  for (const sub of s.allOf ?? []) errors.push(...validate(doc, sub, value, path));
  for (const [kind, alts] of [['oneOf', s.oneOf], ['anyOf', s.anyOf]] as const) {
    if (alts && !alts.some((alt) => validate(doc, alt, value, path).length === 0)) errors.push(`${path}: matches no ${kind} alternative`);
  }
  if (s.enum && !s.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  const actual = typeOf(value);
  switch (s.type) {
    case undefined:
      break;
    case 'number':
      if (actual !== 'number' && actual !== 'integer') errors.push(`${path}: expected number, got ${actual}`);
      break;
    case 'integer':
    case 'string':
    case 'boolean':
    case 'array':
    case 'object':
      if (actual !== s.type) {
        errors.push(`${path}: expected ${s.type}, got ${actual}`);
        return errors;
      }
      break;
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${path}: ${value} < minimum ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${path}: ${value} > maximum ${s.maximum}`);
  }
  if (typeof value === 'string') {
    if (s.pattern && !new RegExp(s.pattern).test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${s.pattern}`);
    if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${path}: ${JSON.stringify(value)} is not a date-time`);
    if (s.maxLength !== undefined && value.length > s.maxLength) errors.push(`${path}: longer than ${s.maxLength}`);
  }
  if (Array.isArray(value) && s.items) value.forEach((item, i) => errors.push(...validate(doc, s.items!, item, `${path}[${i}]`)));
  if (actual === 'object' && (s.properties || s.required)) {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) errors.push(`${path}.${key}: required, missing`);
    for (const [key, sub] of Object.entries(s.properties ?? {})) {
      if (key in obj && obj[key] !== undefined) errors.push(...validate(doc, sub, obj[key], `${path}.${key}`));
    }
    // Strict about undeclared keys: a field the read model gained without its schema is drift worth naming.
    if (s.properties && s.additionalProperties === undefined) {
      for (const key of Object.keys(obj)) if (!(key in s.properties)) errors.push(`${path}.${key}: not declared`);
    }
  }
  return errors;
}
