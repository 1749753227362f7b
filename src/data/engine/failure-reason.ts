// Wording of row errors and of the job's failureReason. Values are shown cut to ~40 characters
// with control characters made visible, so a failureReason stays one readable line.
import type { SchemaField } from '../schema/schema-model.ts';
import { ALL_RESERVED_KEYWORDS, ID_MAX_CHARS, STRING_MAX_CHARS } from './cell-rules.ts';
import type { RowError } from './types.ts';

export const SHOWN_ERRORS = 5;
export const VALUE_CHARS = 40;

export function cutValue(v: string): string {
  const chars = Array.from(v);
  const s = chars.length > VALUE_CHARS ? chars.slice(0, VALUE_CHARS).join('') + '…' : v;
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

const RANGES: Record<string, string> = {
  int: '-2147483648 to 2147483647',
  long: '-9223372036854775808 to 9223372036854775807',
};

/** The rule text of a value error found by diagExpr (cell-rules.ts). `value` is the full cell. */
export function valueRule(code: string, f: SchemaField, value: string | null): string {
  const v = `'${cutValue(value ?? '')}'`;
  const n = value === null ? 0 : Array.from(value).length;
  switch (code) {
    case 'required':
      return `empty value, but ${f.name} is required`;
    case 'line_break':
      return `${v} contains a line break; every record must be on one line`;
    case 'id_too_long':
      return `${v} is ${n} characters long; ${f.name} can have at most ${ID_MAX_CHARS} characters`;
    case 'string_too_long':
      return `Length cannot be more than ${STRING_MAX_CHARS} characters for ${f.name} (this value has ${n})`;
    case 'not_integer':
      return `${v} is not a whole number (${f.type})`;
    case 'not_decimal':
      return `${v} is not a decimal number (${f.type})`;
    case 'out_of_range':
      return RANGES[f.type] ? `${v} is out of range for ${f.type} (${RANGES[f.type]})` : `${v} is out of range for ${f.type}`;
    case 'not_boolean':
      return `${v} is not a boolean (true or false)`;
    case 'nul_character':
      return `${v} contains a NUL character (\\x00); values must be text without NUL characters`;
    case 'reserved_keyword': {
      const parts = (value ?? '').split('|');
      const keyword = parts.find((p) => ALL_RESERVED_KEYWORDS.has(p)) ?? value ?? '';
      const what = parts.length > 1 ? `${v} holds the value '${keyword}', which is` : `${v} is`;
      return `${what} a reserved keyword; reserved keywords cannot be used as values`;
    }
    default:
      return `${v} is invalid (${code})`;
  }
}

/** Rule text of a structural error reported by DuckDB's CSV reader (reject_errors.error_type). */
export function structuralRule(errorType: string, message: string, canonical: boolean): { code: string; rule: string } {
  switch (errorType) {
    case 'MISSING COLUMNS':
    case 'TOO MANY COLUMNS': {
      const m = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
      const shift = canonical ? 1 : 0; // the line-number column is not the user's
      const detail = m ? `the line has ${Number(m[2]) - shift} columns but the header has ${Number(m[1]) - shift}` : message;
      return { code: errorType === 'MISSING COLUMNS' ? 'missing_values' : 'too_many_values', rule: detail };
    }
    case 'UNQUOTED VALUE':
      return { code: 'bad_quoting', rule: 'broken quoting: a quoted value is followed by other characters, or a quote is not closed' };
    case 'INVALID ENCODING':
      return { code: 'invalid_utf8', rule: 'the line is not valid UTF-8 text' };
    case 'LINE SIZE OVER MAXIMUM':
      return { code: 'line_too_long', rule: 'the line is too long' };
    default:
      return { code: 'unparsable', rule: message.split('\n')[0] };
  }
}

function where(e: RowError, withFile: boolean): string {
  const parts: string[] = [];
  if (withFile) parts.push(e.file);
  if (e.line > 0) parts.push(`line ${e.line}`);
  let s = parts.join(' ');
  if (e.column !== null) s += `, column ${e.column}`;
  return s;
}

/** "3 of 2000 rows are invalid. First errors: s3://b/x.csv line 17, column TIMESTAMP: ...; line 20, ..." */
export function formatFailure(badRows: number, totalRows: number, errors: RowError[]): string {
  const shown = errors.slice(0, SHOWN_ERRORS);
  let last: string | null = null;
  const items = shown.map((e) => {
    const s = `${where(e, e.file !== last)}: ${e.rule}`;
    last = e.file;
    return s;
  });
  const head = `${badRows} of ${totalRows} ${totalRows === 1 ? 'row' : 'rows'} ${badRows === 1 ? 'is' : 'are'} invalid.`;
  const more = badRows > shown.length ? `; and ${badRows - shown.length} more` : '';
  return `${head} ${shown.length === 1 ? 'First error' : 'First errors'}: ${items.join('; ')}${more}`;
}

/** One error that is not counted in rows (header, file-level): file, line, column, rule. */
export function formatSingle(e: RowError): string {
  return `${where(e, true)}: ${e.rule}`;
}
