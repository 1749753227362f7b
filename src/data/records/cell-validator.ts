// The cell rules of bulk rows (src/data/engine/cell-rules.ts: diagExpr), applied to individual records
// in their 'record' mode: unlike a bulk row (rule 42a), a record keeps the schema's nullability and
// an unreadable value is refused, since AWS documents nothing lenient for the record APIs and the
// caller gets the answer at once. The rules are DuckDB SQL over raw text cells, so records are
// checked by the very same expressions in one long-lived in-memory DuckDB instance; concurrent API
// calls are checked together in one query (Batcher), which keeps the cost per call far below the
// 1,000 calls/s of PutEvents.
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { diagExpr } from '../engine/cell-rules.ts';
import type { ParsedSchema, SchemaField } from '../schema/schema-model.ts';
import { Batcher } from './batcher.ts';
import type { Cells } from './record-store.ts';

/** The first rule a record breaks, in schema field order (failure-reason.ts valueRule words it). */
export interface CellProblem {
  field: SchemaField;
  /** Rule code of cell-rules.ts, e.g. 'required', 'not_integer', 'string_too_long'. */
  code: string;
  value: string | null;
}

interface Check {
  schema: ParsedSchema;
  cells: Cells[];
}

export class CellValidator {
  private connection: Promise<{ db: DuckDBInstance; c: DuckDBConnection }> | undefined;
  private readonly prepared = new Map<ParsedSchema, DuckDBPreparedStatement>();
  private readonly batcher = new Batcher<Check, (CellProblem | null)[]>((checks) => this.run(checks), 200);

  /** One entry per record: null when every cell is valid. */
  check(schema: ParsedSchema, cells: Cells[]): Promise<(CellProblem | null)[]> {
    return this.batcher.submit({ schema, cells });
  }

  async close(): Promise<void> {
    await this.batcher.idle();
    const open = this.connection;
    this.connection = undefined;
    this.prepared.clear();
    if (open) {
      const { db, c } = await open;
      c.closeSync();
      db.closeSync();
    }
  }

  private connect(): Promise<{ db: DuckDBInstance; c: DuckDBConnection }> {
    this.connection ??= (async () => {
      // Small: it only ever holds the cells of one batch of API calls.
      const db = await DuckDBInstance.create(':memory:', { memory_limit: '64MB', threads: '1' });
      return { db, c: await db.connect() };
    })();
    return this.connection;
  }

  /**
   * Planning a query costs far more than applying the rules to a few hundred rows, so each schema
   * gets one prepared query, and a batch is one call binding one parameter: the rows as a JSON
   * array of [n, cell...] string arrays. Only rows with a problem come back.
   */
  private async prepare(c: DuckDBConnection, schema: ParsedSchema): Promise<DuckDBPreparedStatement> {
    let query = this.prepared.get(schema);
    if (!query) {
      if (this.prepared.size >= 1000) this.prepared.clear();
      const cols = schema.fields.map((_, k) => `r[${k + 2}] AS c${k}`).join(', ');
      const codes = schema.fields.map((f, k) => `${diagExpr(f, `c${k}`, schema, 'record')} AS e${k}`).join(', ');
      const anyProblem = schema.fields.map((_, k) => `e${k} IS NOT NULL`).join(' OR ');
      query = await c.prepare(
        `SELECT * FROM (SELECT n, ${codes} FROM (SELECT CAST(r[1] AS INTEGER) AS n, ${cols}
                                                 FROM (SELECT unnest(from_json(?::JSON, '[["VARCHAR"]]')) AS r)))
         WHERE ${anyProblem}`,
      );
      this.prepared.set(schema, query);
    }
    return query;
  }

  /** One query per distinct schema in the batch, over the records of all its calls. */
  private async run(checks: Check[]): Promise<(CellProblem | null)[][]> {
    const { c } = await this.connect();
    const results: (CellProblem | null)[][] = checks.map((k) => k.cells.map(() => null));
    const bySchema = new Map<ParsedSchema, number[]>();
    checks.forEach((k, i) => bySchema.set(k.schema, [...(bySchema.get(k.schema) ?? []), i]));
    for (const [schema, indexes] of bySchema) {
      const flat = indexes.flatMap((i) => checks[i].cells.map((cells, r) => ({ i, r, cells })));
      if (flat.length === 0) continue;
      const query = await this.prepare(c, schema);
      query.bindVarchar(1, JSON.stringify(flat.map(({ cells }, n) => [String(n), ...schema.fields.map((f) => cells[f.name] ?? null)])));
      const found = (await query.runAndReadAll()).getRowObjectsJson() as Record<string, unknown>[];
      for (const row of found) {
        const k = schema.fields.findIndex((_, j) => row[`e${j}`] !== null && row[`e${j}`] !== undefined);
        if (k < 0) continue;
        const { i, r, cells } = flat[Number(row.n)];
        const field = schema.fields[k];
        results[i][r] = { field, code: String(row[`e${k}`]), value: cells[field.name] ?? null };
      }
    }
    return results;
  }
}
