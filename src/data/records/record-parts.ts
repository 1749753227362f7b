// What an export reads, per ingestionMode (rules.md rule 81): BULK = the bulk parts; PUT = the
// individually put records; ALL = both, where for Items / Users / Actions the newest version of
// an ID wins and interactions are all kept, exact duplicates once.
//
// The records are written as temporary Parquet parts with the bulk parts' typed layout, through
// the same conversion as an import (cell-rules.ts fastExpr over the raw cells), and the ordinary
// datasetViewSql then reads [parts and record parts in time order]: its "newest part wins per ID"
// and "exact duplicates once" give exactly the semantics above. Records are placed after the bulk
// part whose import committed last before they were put, so a FULL import after a put wins over
// it and a put after the import wins over the imported row.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { RecordStore } from './record-store.ts';
import type { ParsedSchema } from '../schema/schema-model.ts';
import { rows, withDuck } from '../engine/duck.ts';
import { fastExpr, sqlIdent, sqlString } from '../engine/cell-rules.ts';
import type { EngineOptions } from '../engine/types.ts';

export interface BulkPart {
  /** Local Parquet file. */
  path: string;
  /** Epoch ms at which the import that wrote it committed. */
  committedAt: number;
}

const PAGE = 5000;

/** Writes the records of `datasetArn` into NDJSON files, one per bucket (index = how many bulk
 *  parts committed before the put), and returns the files that got records. */
async function writeBuckets(records: RecordStore, datasetArn: string, bounds: number[], workDir: string): Promise<Map<number, string>> {
  const files = new Map<number, { path: string; out: ReturnType<typeof createWriteStream> }>();
  let after: string | undefined;
  for (;;) {
    const page = await records.scan(datasetArn, { after, limit: PAGE });
    for (const r of page) {
      const bucket = bounds.filter((t) => t <= r.putAt).length;
      let f = files.get(bucket);
      if (!f) {
        const path = join(workDir, `records-${bucket}.ndjson`);
        f = { path, out: createWriteStream(path) };
        files.set(bucket, f);
      }
      if (!f.out.write(`${JSON.stringify(r.cells)}\n`)) await once(f.out, 'drain');
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].key;
  }
  for (const f of files.values()) {
    f.out.end();
    await once(f.out, 'close');
  }
  return new Map([...files].map(([b, f]) => [b, f.path]));
}

/** The raw cells of an NDJSON file as typed columns, exactly as an import converts CSV cells. */
async function toParquet(schema: ParsedSchema, ndjson: string, output: string, engine: EngineOptions): Promise<void> {
  const columns = `{${schema.fields.map((f) => `${sqlString(f.name)}: 'VARCHAR'`).join(', ')}}`;
  const typed = schema.fields.map((f) => `${fastExpr(f, sqlIdent(f.name), schema)} AS ${sqlIdent(f.name)}`).join(', ');
  await withDuck(engine, (c) =>
    rows(
      c,
      `COPY (SELECT ${typed} FROM read_json(${sqlString(ndjson)}, format = 'newline_delimited', columns = ${columns})) TO ${sqlString(output)} (FORMAT parquet)`,
    ),
  );
}

/** The Parquet files an export of this mode reads, in the order datasetViewSql needs (oldest first). */
export async function exportSources(o: {
  mode: 'BULK' | 'PUT' | 'ALL';
  schema: ParsedSchema;
  bulk: BulkPart[];
  records: RecordStore | undefined;
  datasetArn: string;
  workDir: string;
  engine: EngineOptions;
}): Promise<string[]> {
  if (o.mode === 'BULK' || !o.records) return o.mode === 'PUT' ? [] : o.bulk.map((p) => p.path);
  const bounds = o.mode === 'PUT' ? [] : o.bulk.map((p) => p.committedAt);
  const buckets = await writeBuckets(o.records, o.datasetArn, bounds, o.workDir);
  const recordParts = new Map<number, string>();
  for (const [bucket, ndjson] of buckets) {
    const output = join(o.workDir, `records-${bucket}.parquet`);
    await toParquet(o.schema, ndjson, output, o.engine);
    recordParts.set(bucket, output);
  }
  if (o.mode === 'PUT') return [...recordParts.values()];
  // Bucket b holds records put after bulk part b-1 committed: it goes right after that part.
  const ordered: string[] = [];
  for (let b = 0; b <= o.bulk.length; b++) {
    if (b > 0) ordered.push(o.bulk[b - 1].path);
    const r = recordParts.get(b);
    if (r) ordered.push(r);
  }
  return ordered;
}
