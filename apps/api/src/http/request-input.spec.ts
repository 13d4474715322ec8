import { findInputProblem, MAX_INPUT_DEPTH } from './request-input';

const nested = (levels: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

describe('findInputProblem: what must not reach a DTO or the event log', () => {
  it('passes ordinary text, paired surrogates (emoji) and CJK', () => {
    expect(findInputProblem({ a: '整改 🏠', b: ['x', { c: '\ud83c\udfe0' }], n: 1, t: true, z: null })).toBeNull();
  });

  it.each([
    ['a NUL', { d: 'a\u0000b' }, 'd', 'U+0000'],
    ['a high surrogate at the end', { d: 'ab\ud800' }, 'd', 'U+D800'],
    ['a high surrogate before a non-surrogate', { d: '\udbffx' }, 'd', 'U+DBFF'],
    ['a low surrogate at the start', { d: '\udc00ab' }, 'd', 'U+DC00'],
    ['two high surrogates in a row', { d: '\ud800\ud800\udc00' }, 'd', 'U+D800'],
    ['a list item', { e: ['ok', 'x\u0000'] }, 'e[1]', 'U+0000'],
    ['a nested field', { p: [{ name: '\udfff' }] }, 'p[0].name', 'U+DFFF'],
  ])('finds %s and names the field', (_label, value, field, character) => {
    expect(findInputProblem(value)).toEqual({ kind: 'unstorable', field, character });
  });

  it('names a path parameter by its name', () => {
    expect(findInputProblem('sup\u00001', 'userId')).toEqual({ kind: 'unstorable', field: 'userId', character: 'U+0000' });
  });

  it('checks keys as well as values', () => {
    expect(findInputProblem({ ['k\u0000']: 1 })).toMatchObject({ kind: 'unstorable', field: 'k\u0000' });
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(findInputProblem(JSON.parse(`{"ok":{"${key}":{}}}`))).toEqual({ kind: 'prototype_key', field: `ok.${key}` });
    }
  });

  it(`allows ${MAX_INPUT_DEPTH} levels of nesting and refuses one more, naming the top-level field`, () => {
    expect(findInputProblem({ top: nested(MAX_INPUT_DEPTH - 1) })).toBeNull();
    expect(findInputProblem({ top: nested(MAX_INPUT_DEPTH) })).toEqual({ kind: 'too_deep', field: 'top' });
  });

  it('walks 15,000 levels without overflowing the stack', () => {
    expect(findInputProblem(JSON.parse('['.repeat(15_000) + ']'.repeat(15_000)))).toEqual({ kind: 'too_deep', field: '[0]' });
  });
});
