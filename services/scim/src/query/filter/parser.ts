import { InvalidFilterError } from '../errors.ts';
import { COMPARE_OPS, type CompareOp, type FilterNode, type Literal } from './ast.ts';
import { tokenize, type Token } from './tokenizer.ts';

/**
 * Recursive-descent parser for RFC 7644 §3.4.2.2 filters.
 *
 *   or      := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | primary          (precedence: not > and > or; and/or left-associative)
 *   primary := "(" or ")" | path "[" or "]" [ ".sub" op value ] | path "pr" | path op value
 *
 * Operators and keywords are case-insensitive (RFC 7644 ABNF strings are, per RFC 5234); values
 * are JSON literals only: unquoted strings are refused rather than guessed at. Limits keep a hostile
 * filter from costing more than a few microseconds to reject.
 *
 * Why not scimmy's `Types.Filter` (1.3.5, read before deciding): it flattens the filter into
 * or-of-and objects and negates a group by rewriting its text (`not (a and b)` becomes
 * `not a and not b`, which is not De Morgan), refuses an escaped quote in a string (`"q\"x"`),
 * takes unquoted words as string values, and rewrites attribute names (first letter lowercased).
 * A tree from a small grammar is easier to check and to compile into SQL.
 */
export const MAX_FILTER_LENGTH = 8192;
const MAX_DEPTH = 32;
const MAX_EXPRESSIONS = 200;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const PATH = /^(?:urn:[A-Za-z0-9:._-]+:)?[A-Za-z$][\w$-]*(?:\.[A-Za-z$][\w$-]*)?$/i;
const SUB_ATTRIBUTE = /^\.[A-Za-z$][\w$-]*$/;

export function parseFilter(filter: string): FilterNode {
  if (filter.length > MAX_FILTER_LENGTH) throw new InvalidFilterError(`filter longer than ${MAX_FILTER_LENGTH} characters`);
  if (filter.trim() === '') throw new InvalidFilterError('empty filter');
  const parser = new Parser(tokenize(filter));
  const node = parser.parseOr();
  parser.expectEnd();
  return node;
}

class Parser {
  readonly #tokens: Token[];
  #at = 0;
  #depth = 0;
  #expressions = 0;
  /** inside `[...]`: paths are sub-attributes and value paths cannot nest (RFC 7644 ABNF) */
  #inValuePath = false;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.#keyword('or')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.#keyword('and')) left = { kind: 'and', left, right: this.parseUnary() };
    return left;
  }

  parseUnary(): FilterNode {
    this.#enter();
    try {
      if (this.#keyword('not')) return { kind: 'not', operand: this.parseUnary() };
      return this.parsePrimary();
    } finally {
      this.#depth -= 1;
    }
  }

  parsePrimary(): FilterNode {
    const token = this.#next('an attribute path or "("');
    if (token.type === '(') {
      const inner = this.parseOr();
      this.#expect(')');
      return inner;
    }
    if (token.type !== 'word' || isKeyword(token.text)) throw unexpected(token, 'an attribute path or "("');
    if (!PATH.test(token.text)) throw new InvalidFilterError(`invalid attribute path ${JSON.stringify(shorten(token.text))} at position ${token.pos}`);
    if (++this.#expressions > MAX_EXPRESSIONS) throw new InvalidFilterError(`filter has more than ${MAX_EXPRESSIONS} expressions`);
    const path = token.text;
    if (this.#peek()?.type === '[') return this.#valuePath(path);
    return this.#attributeExpression(path);
  }

  expectEnd(): void {
    const token = this.#peek();
    if (token !== undefined) throw unexpected(token, 'end of filter');
  }

  #valuePath(path: string): FilterNode {
    const bracket = this.#next('"["');
    if (this.#inValuePath) throw new InvalidFilterError(`nested value filter at position ${bracket.pos}`);
    this.#inValuePath = true;
    const filter = this.parseOr();
    this.#expect(']');
    this.#inValuePath = false;
    // Entra ID: `emails[type eq "work"].value eq "x"` — the sub-attribute of the matching element
    const after = this.#peek();
    if (after?.type === 'word' && after.text.startsWith('.')) {
      this.#at += 1;
      if (!SUB_ATTRIBUTE.test(after.text)) throw unexpected(after, 'a sub-attribute name after "]"');
      const comparison = this.#attributeExpression(after.text.slice(1));
      return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: comparison } };
    }
    return { kind: 'valuePath', path, filter };
  }

  #attributeExpression(path: string): FilterNode {
    const opToken = this.#next('an operator after the attribute path');
    const op = opToken.type === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!COMPARE_OPS.has(op)) throw unexpected(opToken, `an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "${path}"`);
    return { kind: 'compare', path, op: op as CompareOp, value: this.#literal(op) };
  }

  #literal(op: string): Literal {
    const token = this.#next(`a value after "${op}"`);
    if (token.type === 'string') {
      try {
        return JSON.parse(token.text) as string;
      } catch (cause) {
        throw new InvalidFilterError(`invalid string literal at position ${token.pos}`, { cause });
      }
    }
    if (token.type === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
      if (NUMBER.test(token.text) && Number.isFinite(Number(token.text))) return Number(token.text);
    }
    throw unexpected(token, `a value (quoted string, number, true, false or null) after "${op}"`);
  }

  #enter(): void {
    if (++this.#depth > MAX_DEPTH) throw new InvalidFilterError(`filter nested deeper than ${MAX_DEPTH} levels`);
  }

  #keyword(word: string): boolean {
    const token = this.#peek();
    if (token?.type === 'word' && token.text.toLowerCase() === word) {
      this.#at += 1;
      return true;
    }
    return false;
  }

  #expect(type: Token['type']): void {
    const token = this.#next(`"${type}"`);
    if (token.type !== type) throw unexpected(token, `"${type}"`);
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#at];
  }

  #next(expected: string): Token {
    const token = this.#tokens[this.#at];
    if (token === undefined) throw new InvalidFilterError(`unexpected end of filter: expected ${expected}`);
    this.#at += 1;
    return token;
  }
}

function isKeyword(word: string): boolean {
  const lower = word.toLowerCase();
  return lower === 'and' || lower === 'or' || lower === 'not';
}

function unexpected(token: Token, expected: string): InvalidFilterError {
  return new InvalidFilterError(`unexpected ${JSON.stringify(shorten(token.text))} at position ${token.pos}: expected ${expected}`);
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
