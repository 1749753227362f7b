// How a CSV file is handed to DuckDB's reader: every column as raw VARCHAR under a positional name
// (c0, c1, ...; header names may be anything), RFC 4180 quoting, no sniffing. The header line is
// skipped by the reader and checked by header.ts instead.
import type { ParsedSchema, SchemaField } from '../schema/schema-model.ts';
import { MAX_LINE_BYTES } from './canonicalize.ts';
import { sqlString } from './cell-rules.ts';

/** Name of the line-number column that canonical files carry in front of the data columns. */
export const LINE_COL = 'c_line';

export interface ColumnPlan {
  field: SchemaField;
  /** Position of the field's column in the CSV header. */
  index: number;
  /** SQL reference to the raw VARCHAR cell. */
  raw: string;
}

export function csvCol(i: number): string {
  return `c${i}`;
}

/** Schema fields in schema order with their CSV column (header names were checked before). */
export function planColumns(schema: ParsedSchema, header: string[]): ColumnPlan[] {
  return schema.fields.map((field) => {
    const index = header.indexOf(field.name);
    return { field, index, raw: csvCol(index) };
  });
}

export interface ScanOptions {
  /** The files are canonical (canonicalize.ts): a leading line-number column. */
  canonical: boolean;
  /** Record structural errors in these temp tables instead of failing the query. */
  rejects?: { table: string; scan: string; limit: number };
}

export function readCsvSql(paths: string[], columnCount: number, o: ScanOptions): string {
  const cols: string[] = [];
  if (o.canonical) cols.push(`'${LINE_COL}': 'VARCHAR'`);
  for (let i = 0; i < columnCount; i++) cols.push(`'${csvCol(i)}': 'VARCHAR'`);
  const opts = [
    `columns = {${cols.join(', ')}}`,
    'header = true',
    'auto_detect = false',
    "delim = ','",
    `quote = '"'`,
    `escape = '"'`,
    'strict_mode = true',
    'null_padding = false',
    "compression = 'none'",
    `max_line_size = ${MAX_LINE_BYTES + 1024}`,
  ];
  if (o.rejects) {
    opts.push(
      'store_rejects = true',
      `rejects_table = '${o.rejects.table}'`,
      `rejects_scan = '${o.rejects.scan}'`,
      `rejects_limit = ${o.rejects.limit}`,
    );
  }
  return `read_csv([${paths.map(sqlString).join(', ')}], ${opts.join(', ')})`;
}
