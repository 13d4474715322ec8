import type { SchemaObject, ReferenceObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

// A few builders for the response schemas: the read models are plain TypeScript interfaces, so their OpenAPI shape
// is written once here, next to nothing else, rather than as a parallel class hierarchy of DTOs.

export type Schema = SchemaObject | ReferenceObject;

export const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
export const str: SchemaObject = { type: 'string' };
export const int: SchemaObject = { type: 'integer' };
export const num: SchemaObject = { type: 'number' };
export const bool: SchemaObject = { type: 'boolean' };
export const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
export const localDate: SchemaObject = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
export const oneOf = (values: readonly string[]): SchemaObject => ({ type: 'string', enum: [...values] });
export const arrayOf = (items: Schema): SchemaObject => ({ type: 'array', items });

/** `T | null`: a `$ref` cannot carry `nullable` in OpenAPI 3.0, so a nullable reference is wrapped in allOf. */
export const nullable = (s: Schema): SchemaObject =>
  '$ref' in s ? { allOf: [s], nullable: true } : { ...s, nullable: true };

/**
 * An object with every property required unless its key ends in `?` — the same convention as the TypeScript
 * interface it mirrors.
 */
export function obj(props: Record<string, Schema>, description?: string): SchemaObject {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const [key, schema] of Object.entries(props)) {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    properties[name] = schema;
    if (!optional) required.push(name);
  }
  return { type: 'object', ...(description ? { description } : {}), properties, ...(required.length ? { required } : {}) };
}

/** `Page<T>`: one page of a ledger. */
export const page = (item: Schema, extra: Record<string, Schema> = {}): SchemaObject =>
  obj({ items: arrayOf(item), total: int, page: int, pageSize: int, ...extra });
