// Splits a filter expression into tokens, each with its 1-based position. Words (keywords,
// dataset and field names) keep their spelling: the parser compares them case-insensitively
// (rule 104). String literals are double-quoted; a backslash escapes a quote or a backslash.
import { FilterExpressionError } from './filter-syntax.ts';

export type TokenKind = 'word' | 'string' | 'number' | 'param' | 'op' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** The word, the operator, the punctuation, the literal's content (unquoted), the parameter's name (without $). */
  value: string;
  /** As written, for messages. */
  text: string;
  position: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(\.\d+)?([eE][-+]?\d+)?/y;
const PARAM = /\$([A-Za-z0-9_]+)/y;
const OPERATORS = ['<=', '>=', '!=', '<>', '=', '<', '>'];

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

function stringLiteral(text: string, start: number): { token: Token; next: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return { token: { kind: 'string', value, text: text.slice(start, i + 1), position: start + 1 }, next: i + 1 };
    if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new FilterExpressionError('the quoted value that starts here has no closing double quote', start + 1);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const position = i + 1;
    if (c === '"') {
      const { token, next } = stringLiteral(text, i);
      tokens.push(token);
      i = next;
      continue;
    }
    if (c === "'") {
      throw new FilterExpressionError(`values must be in double quotes ("value"), not single quotes`, position);
    }
    const word = matchAt(WORD, text, i);
    if (word) {
      tokens.push({ kind: 'word', value: word[0], text: word[0], position });
      i += word[0].length;
      continue;
    }
    const number = matchAt(NUMBER, text, i);
    if (number) {
      tokens.push({ kind: 'number', value: number[0], text: number[0], position });
      i += number[0].length;
      continue;
    }
    if (c === '$') {
      const param = matchAt(PARAM, text, i);
      if (!param) throw new FilterExpressionError('a placeholder is $ followed by letters, digits or underscores, e.g. $GENRES', position);
      tokens.push({ kind: 'param', value: param[1], text: param[0], position });
      i += param[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      if (op === '<>') throw new FilterExpressionError(`unknown operator '<>': use != for "not equal"`, position);
      tokens.push({ kind: 'op', value: op, text: op, position });
      i += op.length;
      continue;
    }
    if ('(),.|'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, text: c, position });
      i++;
      continue;
    }
    throw new FilterExpressionError(`unexpected character '${c}'`, position);
  }
  tokens.push({ kind: 'end', value: '', text: 'the end of the expression', position: text.length + 1 });
  return tokens;
}
