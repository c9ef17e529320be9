import { describe, expect, test } from '@jest/globals';
import { InvalidFilterError, MAX_FILTER_LENGTH, parseFilter, type FilterNode } from '../../src/query/index.ts';

const eq = (path: string, value: unknown): FilterNode => ({ kind: 'compare', path, op: 'eq', value } as FilterNode);

describe('parseFilter', () => {
  test('attribute expressions with every operator, case-insensitive', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
      expect(parseFilter(`title ${op.toUpperCase()} "x"`)).toEqual({ kind: 'compare', path: 'title', op, value: 'x' });
    }
    expect(parseFilter('title PR')).toEqual({ kind: 'present', path: 'title' });
  });

  test('literals: JSON strings with escapes, true/false/null in any case, numbers', () => {
    expect(parseFilter('a eq "q\\"uo\\\\te\\u00e9\\n"')).toEqual(eq('a', 'q"uo\\teé\n'));
    expect(parseFilter('a eq true')).toEqual(eq('a', true));
    expect(parseFilter('a eq FALSE')).toEqual(eq('a', false));
    expect(parseFilter('a eq Null')).toEqual(eq('a', null));
    expect(parseFilter('a gt -12.5e2')).toEqual({ kind: 'compare', path: 'a', op: 'gt', value: -1250 });
    expect(parseFilter('a eq 0')).toEqual(eq('a', 0));
  });

  test('precedence: not > and > or, left-associative, parentheses override', () => {
    const [a, b, c] = [eq('a', 1), eq('b', 2), eq('c', 3)];
    expect(parseFilter('a eq 1 or b eq 2 and c eq 3')).toEqual({ kind: 'or', left: a, right: { kind: 'and', left: b, right: c } });
    expect(parseFilter('a eq 1 and b eq 2 or c eq 3')).toEqual({ kind: 'or', left: { kind: 'and', left: a, right: b }, right: c });
    expect(parseFilter('(a eq 1 or b eq 2) and c eq 3')).toEqual({ kind: 'and', left: { kind: 'or', left: a, right: b }, right: c });
    expect(parseFilter('not (a eq 1) and b eq 2')).toEqual({ kind: 'and', left: { kind: 'not', operand: a }, right: b });
    expect(parseFilter('a eq 1 and b eq 2 and c eq 3')).toEqual({ kind: 'and', left: { kind: 'and', left: a, right: b }, right: c });
    expect(parseFilter('NOT(a eq 1)')).toEqual({ kind: 'not', operand: a });
  });

  test('value paths, with and without a trailing sub-attribute (Entra ID)', () => {
    expect(parseFilter('emails[type eq "work" and value co "@x"]')).toEqual({
      kind: 'valuePath',
      path: 'emails',
      filter: { kind: 'and', left: eq('type', 'work'), right: { kind: 'compare', path: 'value', op: 'co', value: '@x' } },
    });
    expect(parseFilter('emails[type eq "work"].value eq "x@y"')).toEqual({
      kind: 'valuePath',
      path: 'emails',
      filter: { kind: 'and', left: eq('type', 'work'), right: eq('value', 'x@y') },
    });
    expect(parseFilter('members[value eq "1"] or members[value eq "2"]')).toEqual({
      kind: 'or',
      left: { kind: 'valuePath', path: 'members', filter: eq('value', '1') },
      right: { kind: 'valuePath', path: 'members', filter: eq('value', '2') },
    });
  });

  test('paths keep their URN and sub-attribute', () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    expect(parseFilter(`${urn}:manager.value eq "m"`)).toEqual(eq(`${urn}:manager.value`, 'm'));
    expect(parseFilter('meta.lastModified gt "2024-01-01T00:00:00Z"')).toEqual({
      kind: 'compare',
      path: 'meta.lastModified',
      op: 'gt',
      value: '2024-01-01T00:00:00Z',
    });
  });

  test.each([
    ['', /empty/],
    ['   ', /empty/],
    ['userName', /end of filter/],
    ['userName eq', /end of filter/],
    ['userName eq bjensen', /expected a value/],
    ['userName equals "x"', /expected an operator/],
    ['userName eq "x" and', /end of filter/],
    ['userName eq "x" userName eq "y"', /expected end of filter/],
    ['(userName eq "x"', /end of filter/],
    ['userName eq "x")', /expected end of filter/],
    ['emails[type eq "work"', /end of filter/],
    ['emails[type eq "work"]]', /expected end of filter/],
    ['emails[type[value eq "x"] eq "y"]', /nested value filter/],
    ['emails[type eq "work"].', /sub-attribute/],
    ['userName eq "unterminated', /string literal/],
    ['userName eq "bad \\x escape"', /string literal/],
    ['userName pr "x"', /expected end of filter/],
    ['and eq "x"', /attribute path/],
    ['userName eq "x" or or userName eq "y"', /attribute path/],
    ['userName eq 1e999', /expected a value/],
    ['userName eq "x" ; drop table users', /unexpected character/],
    ['name..familyName eq "x"', /attribute path/],
    ['"userName" eq "x"', /attribute path/],
  ])('malformed %j → InvalidFilterError', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(InvalidFilterError);
    expect(() => parseFilter(filter)).toThrow(message);
  });

  test('hostile sizes are refused cheaply', () => {
    expect(() => parseFilter(`userName eq "${'x'.repeat(MAX_FILTER_LENGTH)}"`)).toThrow(/longer than/);
    expect(() => parseFilter(`${'('.repeat(100)}a eq 1${')'.repeat(100)}`)).toThrow(/nested deeper/);
    expect(() => parseFilter(`${'not '.repeat(100)}(a eq 1)`)).toThrow(/nested deeper/);
    expect(() => parseFilter(Array.from({ length: 250 }, (_, i) => `a eq ${i}`).join(' or '))).toThrow(/more than 200 expressions/);
  });

  test('errors carry the SCIM mapping', () => {
    try {
      parseFilter('userName eq');
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toMatchObject({ code: 'FFGATE_SCIM_INVALID_FILTER', scimType: 'invalidFilter', status: 400, name: 'InvalidFilterError' });
    }
  });
});
