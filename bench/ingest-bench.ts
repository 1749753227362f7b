// Import engine benchmark: node --import tsx bench/ingest-bench.ts [rows=10000000] [reps=2]
// Generates a synthetic Interactions CSV (Zipf-distributed users and items, a few event types,
// increasing timestamps), then times on the same file:
//   (a) plain DuckDB: read_csv (auto-detected) -> Parquet, nothing checked;
//   (b) validateToParquet: every rule checked, typed Parquet written;
//   (c) the failure path: the same file plus one bad line at its end (canonicalize + diagnose).
// Prints rows/s, MB/s, peak RSS of each step and the ratio b/a (target <= 1.5, RSS < 1.5 GB).
import { appendFileSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { validateToParquet } from '../src/ingest/index.ts';
import { rows as queryRows, withDuck } from '../src/ingest/duck.ts';
import type { EngineOptions } from '../src/ingest/types.ts';
import type { ParsedSchema } from '../src/resources/schemas/schema-model.ts';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const REPS = Number(process.argv[3] ?? 2);
const USERS = 1_000_000;
const ITEMS = 200_000;
const EVENT_TYPES = ['click', 'view', 'purchase', 'like', 'share'];
const EVENT_CDF = [0.6, 0.85, 0.93, 0.98, 1];

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

/** Zipf(s=1)-like rank in [1, n]: inverse of the continuous CDF ln(k)/ln(n). */
function zipf(n: number): number {
  return Math.floor(Math.exp(Math.random() * Math.log(n + 1)));
}

/** Writes ASCII digits of a non-negative integer into buf at pos; returns the new pos. */
function digits(buf: Buffer, pos: number, v: number): number {
  if (v === 0) {
    buf[pos] = 48;
    return pos + 1;
  }
  let len = 0;
  for (let x = v; x > 0; x = Math.floor(x / 10)) len++;
  for (let i = pos + len - 1; i >= pos; i--) {
    buf[i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return pos + len;
}

function generate(path: string, rows: number): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 << 20);
  const user = Buffer.from('user_');
  const item = Buffer.from('item_');
  const types = EVENT_TYPES.map((t) => Buffer.from(`${t}\n`));
  let pos = chunk.write('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n');
  for (let i = 0; i < rows; i++) {
    if (pos > chunk.length - 256) {
      writeSync(fd, chunk, 0, pos);
      pos = 0;
    }
    pos += user.copy(chunk, pos);
    pos = digits(chunk, pos, zipf(USERS));
    chunk[pos++] = 44;
    pos += item.copy(chunk, pos);
    pos = digits(chunk, pos, zipf(ITEMS));
    chunk[pos++] = 44;
    pos = digits(chunk, pos, 1_690_000_000 + Math.floor(i / 4));
    chunk[pos++] = 44;
    const r = Math.random();
    let t = 0;
    while (r > EVENT_CDF[t]) t++;
    pos += types[t].copy(chunk, pos);
  }
  writeSync(fd, chunk, 0, pos);
  closeSync(fd);
}

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
  process.stdout.write(`  ${label}: ${(ms / 1000).toFixed(2)} s wall, ${(cpuMs / 1000).toFixed(2)} s CPU, peak RSS ${peak.toFixed(0)} MB\n`);
  return { ms, cpuMs, peak, value };
}

const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
const workDir = join(dir, 'work');
mkdirSync(workDir);
const engine: EngineOptions = { workDir, memoryLimit: '1GB', threads: 2 };
try {
  const csvPath = join(dir, 'interactions.csv');
  let t0 = performance.now();
  generate(csvPath, ROWS);
  const bytes = statSync(csvPath).size;
  const mb = bytes / 2 ** 20;
  console.log(`generated ${ROWS.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const best = { a: Infinity, b: Infinity, aCpu: Infinity, bCpu: Infinity, aPeak: 0, bPeak: 0 };
  for (let rep = 1; rep <= REPS; rep++) {
    console.log(`rep ${rep}`);
    const a = await timed('(a) plain read_csv -> Parquet', () =>
      withDuck(engine, (c) => queryRows(c, `COPY (SELECT * FROM read_csv('${csvPath}')) TO '${join(dir, 'plain.parquet')}' (FORMAT parquet)`)),
    );
    const b = await timed('(b) validateToParquet', () =>
      validateToParquet({ schema, sources: [{ displayName: 's3://bench/interactions.csv', path: csvPath }], outputPath: join(dir, 'valid.parquet'), engine }),
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
    validateToParquet({ schema, sources: [{ displayName: 's3://bench/interactions.csv', path: csvPath }], outputPath: join(dir, 'bad.parquet'), engine }),
  );
  if (c.value.ok) throw new Error('the bad line was not found');
  console.log(`  failureReason: ${c.value.failureReason}`);

  const rate = (ms: number) => `${((ROWS / ms) * 1000 / 1e6).toFixed(2)} M rows/s, ${((mb / ms) * 1000).toFixed(0)} MB/s`;
  console.log('\nbest of reps:');
  const cpu = (ms: number) => `${(ms / 1000).toFixed(2)} s CPU`;
  console.log(`  (a) plain:     ${(best.a / 1000).toFixed(2)} s  ${rate(best.a)}  ${cpu(best.aCpu)}  peak RSS ${best.aPeak.toFixed(0)} MB`);
  console.log(`  (b) validated: ${(best.b / 1000).toFixed(2)} s  ${rate(best.b)}  ${cpu(best.bCpu)}  peak RSS ${best.bPeak.toFixed(0)} MB`);
  console.log(`  (c) failure:   ${(c.ms / 1000).toFixed(2)} s  ${cpu(c.cpuMs)}  peak RSS ${c.peak.toFixed(0)} MB`);
  console.log(`  b/a = ${(best.b / best.a).toFixed(2)} wall, ${(best.bCpu / best.aCpu).toFixed(2)} CPU (target <= 1.5); peak RSS ${Math.max(best.aPeak, best.bPeak, c.peak) < 1536 ? '<' : '>='} 1.5 GB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
