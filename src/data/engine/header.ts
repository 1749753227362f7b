// Header checks (rules 33, 34, 36): the header is the first physical line, names are not quoted,
// unique, matched to schema fields by name in any order. Extra columns that the schema does not
// know are accepted and ignored (not stored): AWS documents only the "missing columns" failure,
// and ignoring extras lets one file feed datasets with narrower schemas.
// Names match schema fields in any case [INF: AWS documents no case rule; its own exploration
// notebook (user-personalization-with-exploration) imports its sample items file, whose header
// reads `ITEM_ID,genres,creation_timestamp`, into a schema of GENRES and CREATION_TIMESTAMP]; two
// columns that name one field are a duplicate.
import { open } from 'node:fs/promises';
import type { ParsedSchema } from '../schema/schema-model.ts';
import { IngestError, type RowError } from './types.ts';

/** A header longer than this is not a header (binary garbage, or a file without newlines). */
export const MAX_HEADER_BYTES = 1 << 20;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function headerError(file: string, column: string | null, code: string, rule: string, value: string | null = null): IngestError {
  const where = column === null ? `${file} line 1` : `${file} line 1, column ${column}`;
  const err: RowError = { file, line: 1, column, value, code, rule };
  return new IngestError(`${where}: ${rule}`, [err]);
}

/** Reads the first line of a CSV file: BOM and a trailing CR removed, split on commas. Throws
 *  IngestError for an empty file, a header that is not UTF-8 or that never ends. */
export async function readHeader(path: string, displayName: string = path): Promise<string[]> {
  const fh = await open(path, 'r');
  let bytes: Buffer;
  try {
    const buf = Buffer.alloc(64 * 1024);
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, total);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      const nl = chunk.indexOf(0x0a);
      parts.push(Buffer.from(nl < 0 ? chunk : chunk.subarray(0, nl)));
      total += nl < 0 ? bytesRead : nl;
      if (nl >= 0) break;
      if (total > MAX_HEADER_BYTES) {
        throw headerError(
          displayName,
          null,
          'header_too_long',
          `the first line is longer than ${MAX_HEADER_BYTES} bytes; this is not a CSV header line`,
        );
      }
    }
    bytes = Buffer.concat(parts);
  } finally {
    await fh.close();
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
  if (bytes.length === 0) {
    throw headerError(displayName, null, 'empty_file', 'the file is empty; expected a header line with the column names');
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw headerError(displayName, null, 'invalid_utf8', 'the header is not valid UTF-8 text (binary or wrongly encoded file?)');
  }
  return text.split(',');
}

/**
 * Checks a header against the schema; returns it with every column that names a schema field in
 * another case spelled as the field. The missing-columns message is AWS's own wording.
 */
export function checkHeader(header: string[], schema: ParsedSchema, displayName = 'Input csv'): string[] {
  const fieldOf = new Map(schema.fields.map((f) => [f.name.toUpperCase(), f.name]));
  const seen = new Set<string>();
  const named: string[] = [];
  for (let i = 0; i < header.length; i++) {
    const raw = header[i];
    // pandas' DataFrame.to_csv() writes its index first, under an empty name, and AWS's own ECOMMERCE
    // getting-started notebook imports such a file: there it is one more extra column, ignored.
    if (raw.length === 0 && i > 0) {
      throw headerError(displayName, null, 'empty_column_name', `the header has an empty column name at position ${i + 1}`);
    }
    if (raw.startsWith('"') || raw.startsWith("'")) {
      throw headerError(displayName, raw, 'quoted_header', 'column names in the header must not be quoted', raw);
    }
    const name = fieldOf.get(raw.toUpperCase()) ?? raw;
    if (seen.has(name)) {
      const also = name === raw ? '' : ` (as ${name})`;
      throw headerError(displayName, raw, 'duplicate_column', `the column name ${raw}${also} appears more than once in the header`, raw);
    }
    seen.add(name);
    named.push(name);
  }
  const missing = schema.fields.map((f) => f.name).filter((n) => !seen.has(n));
  if (missing.length > 0) {
    const message = `Input csv is missing the following columns: [${missing.join(', ')}]`;
    const errors = missing.map((m): RowError => ({
      file: displayName,
      line: 1,
      column: m,
      value: null,
      code: 'missing_column',
      rule: message,
    }));
    throw new IngestError(message, errors);
  }
  return named;
}

/** Folder imports: every file must have exactly the header of the first one (rule 36). */
export function checkSameHeaders(headers: { displayName: string; header: string[] }[]): void {
  const [first, ...rest] = headers;
  for (const h of rest) {
    if (h.header.length !== first.header.length || h.header.some((n, i) => n !== first.header[i])) {
      throw headerError(
        h.displayName,
        null,
        'header_mismatch',
        `all files of an import must have identical headers; this file has [${h.header.join(', ')}] but ${first.displayName} has [${first.header.join(', ')}]`,
      );
    }
  }
}
