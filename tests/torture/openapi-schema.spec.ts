import { OpenApiDocument, validate } from './support/openapi-schema';

// The fuzz test's response checker must itself reject what it is there to catch.

const doc: OpenApiDocument = {
  paths: {},
  components: {
    schemas: {
      Person: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id', 'name'] },
      Row: {
        type: 'object',
        required: ['count', 'state', 'owner', 'tags'],
        properties: {
          count: { type: 'integer', minimum: 0 },
          state: { type: 'string', enum: ['open', 'closed'] },
          owner: { allOf: [{ $ref: '#/components/schemas/Person' }], nullable: true },
          tags: { type: 'array', items: { type: 'string' } },
          at: { type: 'string', format: 'date-time', nullable: true },
          day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
          content: { type: 'object' },
        },
      },
    },
  },
};
const row = { $ref: '#/components/schemas/Row' };
const good = { count: 2, state: 'open', owner: { id: 'u1', name: '甲' }, tags: ['a'], at: null, day: '2026-11-30', content: { any: 1 } };

describe('OpenAPI response validator', () => {
  it('accepts a conforming body, a nullable reference set to null, and any keys in a free-form object', () => {
    expect(validate(doc, row, good)).toEqual([]);
    expect(validate(doc, row, { ...good, owner: null, content: { x: [1] } })).toEqual([]);
  });

  it.each([
    ['a missing required key', { ...good, tags: undefined }, '$.tags: required, missing'],
    ['a wrong type', { ...good, count: '2' }, '$.count: expected integer, got string'],
    ['a fraction for an integer', { ...good, count: 1.5 }, '$.count: expected integer, got number'],
    ['a value outside the enum', { ...good, state: 'Open' }, '$.state: "Open" not in enum'],
    ['null where not nullable', { ...good, state: null }, '$.state: null where not nullable'],
    ['a bad nested reference', { ...good, owner: { id: 'u1' } }, '$.owner.name: required, missing'],
    ['a bad array item', { ...good, tags: ['a', 3] }, '$.tags[1]: expected string, got integer'],
    ['a pattern mismatch', { ...good, day: '30/11/2026' }, '$.day: "30/11/2026" does not match ^\\d{4}-\\d{2}-\\d{2}$'],
    ['a non-date date-time', { ...good, at: 'yesterday' }, '$.at: "yesterday" is not a date-time'],
    ['a number under the minimum', { ...good, count: -1 }, '$.count: -1 < minimum 0'],
    ['an undeclared key', { ...good, secret: 'x' }, '$.secret: not declared'],
  ])('reports %s', (_what, body, expected) => {
    expect(validate(doc, row, JSON.parse(JSON.stringify(body)))).toEqual([expected]);
  });

  it('names an unresolvable reference instead of passing it', () => {
    expect(() => validate(doc, { $ref: '#/components/schemas/Nope' }, {})).toThrow('unresolved $ref');
  });
});
