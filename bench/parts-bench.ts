// Generation layout benchmark: node --import tsx bench/parts-bench.ts [parts=20] [rowsPerPart=500000]
// Builds N Parquet parts of Items and of Interactions (as N INCREMENTAL imports would), then times
// reading the dataset view over all parts against reading one compacted part, and the compaction.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactParts, datasetViewSql } from '../src/data/engine/index.ts';
import { rows, withDuck } from '../src/data/engine/duck.ts';
import type { EngineOptions } from '../src/data/engine/types.ts';
import type { ParsedSchema, SchemaField } from '../src/data/schema/schema-model.ts';

const PARTS = Number(process.argv[2] ?? 20);
const PER_PART = Number(process.argv[3] ?? 500_000);
const f = (name: string, type: SchemaField['type']): SchemaField => ({ name, type, nullable: true, categorical: false, textual: false });
const items: ParsedSchema = {
  recordName: 'Items',
  datasetType: 'ITEMS',
  fields: [f('ITEM_ID', 'string'), f('PRICE', 'double'), f('GENRES', 'string')],
};
const interactions: ParsedSchema = {
  recordName: 'Interactions',
  datasetType: 'INTERACTIONS',
  fields: [f('USER_ID', 'string'), f('ITEM_ID', 'string'), f('TIMESTAMP', 'long'), f('EVENT_TYPE', 'string')],
};
// Each part updates a quarter of the item IDs it shares with the others and repeats 10% of events.
const GEN: Record<string, (p: number) => string> = {
  ITEMS: (p) =>
    `SELECT 'item_' || ((i * 4 + ${p}) % ${PER_PART * 2}) AS ITEM_ID, i / 7.0 + ${p} AS PRICE, 'g' || (i % 50) AS GENRES FROM range(${PER_PART}) t(i)`,
  INTERACTIONS: (p) => `SELECT 'user_' || (hash(i, ${p}) % 100000) AS USER_ID, 'item_' || (hash(i, ${p}, 1) % 20000) AS ITEM_ID,
                          1690000000 + CASE WHEN i % 10 = 0 THEN i ELSE ${p} * ${PER_PART} + i END AS TIMESTAMP,
                          ['click', 'view', 'buy'][1 + i % 3] AS EVENT_TYPE FROM range(${PER_PART}) t(i)`,
};

const dir = mkdtempSync(join(tmpdir(), 'parts-bench-'));
const engine: EngineOptions = { workDir: join(dir, 'work'), memoryLimit: '1GB', threads: 2 };
mkdirSync(engine.workDir);
const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(2)} s`;
try {
  for (const schema of [items, interactions]) {
    const parts: string[] = [];
    await withDuck(engine, async (c) => {
      for (let p = 0; p < PARTS; p++) {
        parts.push(join(dir, `${schema.datasetType}-${p}.parquet`));
        await c.run(`COPY (${GEN[schema.datasetType](p)}) TO '${parts[p]}' (FORMAT parquet)`);
      }
    });
    const count = (ps: string[]) =>
      withDuck(engine, async (c) => Number((await rows(c, `SELECT count(*) AS n FROM (${datasetViewSql(schema, ps)})`))[0].n));
    let t0 = performance.now();
    const viaParts = await count(parts);
    const tParts = secs(t0);
    t0 = performance.now();
    const compacted = join(dir, `${schema.datasetType}-compacted.parquet`);
    await compactParts({ schema, parts, outputPath: compacted, engine });
    const tCompact = secs(t0);
    t0 = performance.now();
    const viaOne = await count([compacted]);
    const tOne = secs(t0);
    if (viaOne !== viaParts) throw new Error(`compaction changed the row count: ${viaParts} -> ${viaOne}`);
    console.log(
      `${schema.datasetType}: ${PARTS} parts x ${PER_PART} rows -> ${viaParts} current rows; view over parts ${tParts}, compaction ${tCompact}, view over the compacted part ${tOne}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
