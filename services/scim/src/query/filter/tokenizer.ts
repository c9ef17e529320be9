import { InvalidFilterError } from '../errors.ts';

/**
 * Splits a filter into brackets, JSON string literals and "words" (attribute paths, operators,
 * keywords, numbers, true/false/null). Classifying words is the parser's job: it knows whether it
 * expects a path, an operator or a value.
 */
export type TokenType = '(' | ')' | '[' | ']' | 'string' | 'word';

export interface Token {
  type: TokenType;
  /** source text (for strings: still quoted and escaped) */
  text: string;
  /** 0-based offset in the filter, for error messages */
  pos: number;
}

// Attribute paths may carry a schema URN (`urn:ietf:params:scim:schemas:core:2.0:User:userName`),
// sub-attributes (`name.familyName`, `.value` after `]`) and `$ref`; numbers may carry `-`, `+`, `e`.
const WORD = /[A-Za-z0-9:._$+-]+/y;
// A JSON string: any char but `"`, `\` and control characters, or an escape (validated by JSON.parse).
const STRING = /"(?:[^"\\\u0000-\u001f]|\\.)*"/y;
const SPACE = /[ \t\r\n]+/y;

export function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < filter.length) {
    const ch = filter[pos];
    const space = match(SPACE, filter, pos);
    if (space !== null) {
      pos += space.length;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      tokens.push({ type: ch, text: ch, pos });
      pos += 1;
      continue;
    }
    if (ch === '"') {
      const text = match(STRING, filter, pos);
      if (text === null) throw new InvalidFilterError(`unterminated or invalid string literal at position ${pos}`);
      tokens.push({ type: 'string', text, pos });
      pos += text.length;
      continue;
    }
    const word = match(WORD, filter, pos);
    if (word === null) throw new InvalidFilterError(`unexpected character ${JSON.stringify(ch)} at position ${pos}`);
    tokens.push({ type: 'word', text: word, pos });
    pos += word.length;
  }
  return tokens;
}

function match(re: RegExp, input: string, pos: number): string | null {
  re.lastIndex = pos;
  const m = re.exec(input);
  return m === null ? null : m[0];
}
