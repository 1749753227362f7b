// Import engine benchmark: node --import tsx bench/ingest-bench.ts [rows=10000000] [reps=2]
// Generates a synthetic Interactions CSV (Zipf-distributed users and items, a few event types,
// increasing timestamps), then times on the same file:
//   (a) plain DuckDB: read_csv (auto-detected) -> Parquet, nothing checked;
//   (b) validateToParquet: every rule checked, typed Parquet written;
//   (c) the failure path: the same file plus one bad line at its end (canonicalize + diagnose).
// Prints rows/s, MB/s, peak RSS of each step and the ratio b/a (target <= 1.5, RSS < 1.5 GB).
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { validateToParquet } from '../src/data/engine/index.ts';
import { rows as queryRows, withDuck } from '../src/data/engine/duck.ts';
import type { EngineOptions } from '../src/data/engine/types.ts';
import type { ParsedSchema } from '../src/data/schema/schema-model.ts';
import { generateInteractions } from './synthetic-data.ts';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const REPS = Number(process.argv[3] ?? 2);
const schema: ParsedSchema = {
  recordName: 'Interactions',
  datasetType: 'INTERACTIONS',
  fields: [
    { name: 'USER_ID', type: 'string', nullable: false, categorical: false, textual: false },
    { name: 'ITEM_ID', type: 'string', nullable: false, categorical: false, textual: false },
    { name: 'TIMESTAMP', type: 'long', nullable: false, categorical: false, textual: false },
    { name: 'EVENT_TYPE', type: 'string', nullable: false, categorical: false, textual: false },
  ],
};

function peakRssMB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

function resetPeak(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS (Linux)
  } catch {
    /* not permitted: the figure is then the peak since start */
  }
}

/** Wall time, CPU time of the whole process (DuckDB's threads included) and peak RSS. CPU time
 *  is the steadier figure on a machine shared with other work. */
async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; peak: number; value: T }> {
  resetPeak();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000;
  const peak = peakRssMB();
  process.stdout.write(
    `  ${label}: ${(ms / 1000).toFixed(2)} s wall, ${(cpuMs / 1000).toFixed(2)} s CPU, peak RSS ${peak.toFixed(0)} MB\n`,
  );
  return { ms, cpuMs, peak, value };
}

const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
const workDir = join(dir, 'work');
mkdirSync(workDir);
const engine: EngineOptions = { workDir, memoryLimit: '1GB', threads: 2 };
try {
  const csvPath = join(dir, 'interactions.csv');
  let t0 = performance.now();
  generateInteractions(csvPath, ROWS);
  const bytes = statSync(csvPath).size;
  const mb = bytes / 2 ** 20;
  console.log(`generated ${ROWS.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const best = { a: Infinity, b: Infinity, aCpu: Infinity, bCpu: Infinity, aPeak: 0, bPeak: 0 };
  for (let rep = 1; rep <= REPS; rep++) {
    console.log(`rep ${rep}`);
    const a = await timed('(a) plain read_csv -> Parquet', () =>
      withDuck(engine, (c) =>
        queryRows(c, `COPY (SELECT * FROM read_csv('${csvPath}')) TO '${join(dir, 'plain.parquet')}' (FORMAT parquet)`),
      ),
    );
    const b = await timed('(b) validateToParquet', () =>
      validateToParquet({
        schema,
        sources: [{ displayName: 's3://bench/interactions.csv', path: csvPath }],
        outputPath: join(dir, 'valid.parquet'),
        engine,
      }),
    );
    if (!b.value.ok) throw new Error(b.value.failureReason);
    if (b.value.rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${b.value.rows}`);
    best.a = Math.min(best.a, a.ms);
    best.b = Math.min(best.b, b.ms);
    best.aCpu = Math.min(best.aCpu, a.cpuMs);
    best.bCpu = Math.min(best.bCpu, b.cpuMs);
    best.aPeak = Math.max(best.aPeak, a.peak);
    best.bPeak = Math.max(best.bPeak, b.peak);
  }
  appendFileSync(csvPath, 'user_1,item_1,1.5,click\n');
  const c = await timed('(c) failure path, one bad line at the end', () =>
    validateToParquet({
      schema,
      sources: [{ displayName: 's3://bench/interactions.csv', path: csvPath }],
      outputPath: join(dir, 'bad.parquet'),
      engine,
    }),
  );
  if (c.value.ok) throw new Error('the bad line was not found');
  console.log(`  failureReason: ${c.value.failureReason}`);

  const rate = (ms: number) => `${(((ROWS / ms) * 1000) / 1e6).toFixed(2)} M rows/s, ${((mb / ms) * 1000).toFixed(0)} MB/s`;
  console.log('\nbest of reps:');
  const cpu = (ms: number) => `${(ms / 1000).toFixed(2)} s CPU`;
  console.log(`  (a) plain:     ${(best.a / 1000).toFixed(2)} s  ${rate(best.a)}  ${cpu(best.aCpu)}  peak RSS ${best.aPeak.toFixed(0)} MB`);
  console.log(`  (b) validated: ${(best.b / 1000).toFixed(2)} s  ${rate(best.b)}  ${cpu(best.bCpu)}  peak RSS ${best.bPeak.toFixed(0)} MB`);
  console.log(`  (c) failure:   ${(c.ms / 1000).toFixed(2)} s  ${cpu(c.cpuMs)}  peak RSS ${c.peak.toFixed(0)} MB`);
  console.log(
    `  b/a = ${(best.b / best.a).toFixed(2)} wall, ${(best.bCpu / best.aCpu).toFixed(2)} CPU (target <= 1.5); peak RSS ${Math.max(best.aPeak, best.bPeak, c.peak) < 1536 ? '<' : '>='} 1.5 GB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
