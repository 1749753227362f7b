// Import engine benchmark: node --import tsx bench/ingest-bench.ts [rows=5000000] [reps=3] [names]
// For each file of BENCH_DATASETS (interactions with EVENT_VALUE; Items with categorical GENRES and
// a quoted textual DESCRIPTION, about as many bytes), times on the same file, alternating:
//   (a) the reference: DuckDB given the column types (no sniffing), CSV -> Parquet, nothing checked;
//   (b) validateToParquet: every rule checked, typed Parquet written;
// and once (c) the failure path: the same file plus one bad line at its end (locating it).
// Prints wall and CPU time, peak RSS of each step and the ratio b/a (target <= 1.25, RSS < 1.5 GB),
// of the best reps (the least disturbed on a shared machine) and of the medians.
// `names` (comma-separated) limits the run to some of the files, e.g. `items`.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateToParquet } from '../src/data/engine/index.ts';
import { rows as queryRows, withDuck } from '../src/data/engine/duck.ts';
import type { EngineOptions } from '../src/data/engine/types.ts';
import { BENCH_DATASETS, itemRowsFor, referenceCopySql, type BenchDataset } from './synthetic-data.ts';

const ROWS = Number(process.argv[2] ?? 5_000_000);
const REPS = Number(process.argv[3] ?? 3);
const ONLY = process.argv[4]?.split(',');

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

interface Timing {
  ms: number;
  cpuMs: number;
  peak: number;
}

/** Wall time, CPU time of the whole process (DuckDB's threads included) and peak RSS. CPU time
 *  is the steadier figure on a machine shared with other work. */
async function timed<T>(label: string, fn: () => Promise<T>): Promise<Timing & { value: T }> {
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

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
const workDir = join(dir, 'work');
mkdirSync(workDir);
const engine: EngineOptions = { workDir, memoryLimit: '1GB', threads: 2 };

async function bench(d: BenchDataset): Promise<string> {
  const n = d.name === 'items' ? itemRowsFor(ROWS) : ROWS;
  const csvPath = join(dir, `${d.name}.csv`);
  const t0 = performance.now();
  d.generate(csvPath, n);
  const mb = statSync(csvPath).size / 2 ** 20;
  console.log(
    `\n${d.name}: ${n.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const source = { displayName: `s3://bench/${d.name}.csv`, path: csvPath };
  const a: Timing[] = [];
  const b: Timing[] = [];
  for (let rep = 1; rep <= REPS; rep++) {
    a.push(
      await timed('(a) DuckDB, types given ', () =>
        withDuck(engine, (c) => queryRows(c, referenceCopySql(csvPath, d, join(dir, 'ref.parquet')))),
      ),
    );
    const v = await timed('(b) validateToParquet   ', () =>
      validateToParquet({ schema: d.schema, sources: [source], outputPath: join(dir, 'valid.parquet'), engine }),
    );
    if (!v.value.ok) throw new Error(v.value.failureReason);
    if (v.value.rows !== n) throw new Error(`expected ${n} rows, got ${v.value.rows}`);
    b.push(v);
  }
  // A bad line at the end: an empty ITEM_ID (Items), a timestamp that is not whole (interactions).
  const bad = d.name === 'items' ? ',drama,1.0,1,"text"\n' : 'user_1,item_1,1.5,click,1\n';
  appendFileSync(csvPath, bad);
  const c = await timed('(c) failure path, one bad line at the end', () =>
    validateToParquet({ schema: d.schema, sources: [source], outputPath: join(dir, 'bad.parquet'), engine }),
  );
  if (c.value.ok) throw new Error('the bad line was not found');
  console.log(`  failureReason: ${c.value.failureReason}`);
  rmSync(csvPath);

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const best = (ts: Timing[], k: 'ms' | 'cpuMs') => Math.min(...ts.map((t) => t[k]));
  const mid = (ts: Timing[], k: 'ms' | 'cpuMs') => median(ts.map((t) => t[k]));
  const pairs = a.map((t, i) => (b[i].ms / t.ms).toFixed(2)).join(' ');
  const peak = Math.max(...a.map((t) => t.peak), ...b.map((t) => t.peak), c.peak);
  return (
    `${d.name} (${n.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB), ${REPS} reps, best (median):\n` +
    `  (a) reference ${s(best(a, 'ms'))} (${s(mid(a, 'ms'))}) wall, ${s(best(a, 'cpuMs'))} (${s(mid(a, 'cpuMs'))}) CPU\n` +
    `  (b) validated ${s(best(b, 'ms'))} (${s(mid(b, 'ms'))}) wall, ${s(best(b, 'cpuMs'))} (${s(mid(b, 'cpuMs'))}) CPU; (c) failure ${s(c.ms)}\n` +
    `  b/a = ${(best(b, 'ms') / best(a, 'ms')).toFixed(2)} (${(mid(b, 'ms') / mid(a, 'ms')).toFixed(2)}) wall, ` +
    `${(best(b, 'cpuMs') / best(a, 'cpuMs')).toFixed(2)} (${(mid(b, 'cpuMs') / mid(a, 'cpuMs')).toFixed(2)}) CPU (target <= 1.25); ` +
    `per rep: ${pairs}; peak RSS ${peak.toFixed(0)} MB`
  );
}

try {
  const lines: string[] = [];
  for (const d of BENCH_DATASETS.filter((x) => !ONLY || ONLY.includes(x.name))) lines.push(await bench(d));
  console.log(`\n${lines.join('\n')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
