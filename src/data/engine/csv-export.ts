// Export of a generation as CSV that this engine (and Personalize's documented format) re-imports
// to the same data: header = schema field names in schema order; NULL = empty cell; a string is
// quoted only when it must be (comma, quote, CR/LF, or a leading quote), and inside quotes a quote
// is doubled (RFC 4180) and a backslash doubled, because the importer reads \\ and \" as escapes
// inside quoted values (rule 38). Unquoted backslashes are literal and left alone. Numbers use
// DuckDB's shortest round-trip text, booleans true/false.
import { rows, withDuck } from './duck.ts';
import { datasetViewSql } from '../generations/dataset-view.ts';
import { sqlIdent, sqlString } from './cell-rules.ts';
import type { ParsedSchema } from '../schema/schema-model.ts';
import type { EngineOptions } from './types.ts';

function cellSql(col: string, type: string): string {
  if (type !== 'string') return `CAST(${col} AS VARCHAR)`;
  return `CASE WHEN regexp_matches(${col}, '[,"\\r\\n]') OR starts_with(${col}, '"')
            THEN '"' || replace(replace(${col}, '\\', '\\\\'), '"', '""') || '"' ELSE ${col} END`;
}

export async function exportToCsv(o: {
  schema: ParsedSchema;
  parts: string[];
  outputPath: string;
  engine: EngineOptions;
}): Promise<{ rows: number }> {
  const cells = o.schema.fields.map((f) => `${cellSql(sqlIdent(f.name), f.type)} AS ${sqlIdent(f.name)}`).join(', ');
  return withDuck(o.engine, async (c) => {
    // The cells are already quoted/escaped, so DuckDB's writer must not quote again.
    const [r] = await rows(
      c,
      `COPY (SELECT ${cells} FROM (${datasetViewSql(o.schema, o.parts)})) TO ${sqlString(o.outputPath)}
       (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '', ESCAPE '', NULLSTR '')`,
    );
    return { rows: Number(r.Count) };
  });
}
