// npm run bench: training speed, CreateSolutionVersion → ACTIVE through the AWS SDK against a real
// service process (the whole job: reading the dataset through DuckDB, building TrainingData,
// training, the offline metrics, writing the artifact), on synthetic data with planted structure
// (bench/training/bench-data.ts):
//   (a) aws-user-personalization on 100k interactions (5,000 users, 2,000 items)     target ≤ 5 s
//   (b) aws-user-personalization on 1 M interactions (50,000 users, 20,000 items)     target ≤ 60 s
//       and no slower than the reference measured in the same run: numpy EASE
//       (bench/training/ease-reference.py, one λ) trained and scored on the same data's holdout;
//       then an INCREMENTAL import of 2,000 interactions with 50 new items and a trainingMode
//       UPDATE version of the same solution (for information: no target)
//   (c) aws-popularity-count, aws-trending-now, aws-sims on BENCH_ROWS interactions (default
//       10 M: 500,000 users, 20,000 items)                                          target ≤ 30 s each
//       with the service's peak RSS during each                                   target ≤ 2 GB
// Each version's time is split into the job's phases (from the service's log): read (the
// dataset's parts), load (DuckDB reading and filtering them, then TrainingData; its steps are
// printed below it), metrics (the holdout's model and its scoring), train (the model itself),
// store (artifact) and other (queue pick-up, the final commit, the polling). The EASE reference
// runs after the service has stopped, so that the two never share the cores.
//   node --import tsx bench/training-bench.ts        BENCH_ROWS=1000000 for a quick look at (c)
//   BENCH_CASES=a,b,c selects cases; BENCH_EASE=0 skips the reference (minutes: a dense
//   20,000² inverse on this machine's cores, about 10 GB of memory)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { startChildService, type ChildService } from '../test/testkit/child-service.ts';
import { generate, generateNewItems, MEAN_HISTORY } from './training/bench-data.ts';
import { describeTiming, seconds, TrainingBench, type Timing } from './training/bench-service.ts';
import { EASE_LAMBDA, easeReference } from './training/ease-run.ts';

const LARGE_ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const CASES = new Set((process.env.BENCH_CASES ?? 'a,b,c').split(','));
const RUN_EASE = process.env.BENCH_EASE !== '0' && CASES.has('b');
const fmt = (n: number) => n.toLocaleString('en-US');

/** The load phase's steps, as the job logged them (training-data.ts). */
function loadSteps(svc: ChildService, x: Timing): string {
  const line = svc.logLines().find((l) => l.msg === 'training phase' && l.job === x.solutionVersionArn && l.loadSteps);
  const steps = line?.loadSteps as Record<string, number> | undefined;
  return steps
    ? `      load steps: ${Object.entries(steps)
        .map(([k, ms]) => `${k} ${seconds(ms)}`)
        .join(', ')}`
    : '';
}

const ratios: string[] = [];
const ratio = (label: string, value: number, target: number, unit = '') =>
  ratios.push(
    `${label}: ${value.toFixed(value < 0.1 ? 4 : 2)}${unit} / ${target}${unit} = ${(value / target).toFixed(value / target < 0.1 ? 4 : 2)} ` +
      `(${value <= target ? 'met' : 'NOT met'})`,
  );

const dir = mkdtempSync(join(tmpdir(), 'openpersonalize-training-bench-'));
const bucketDir = join(dir, 'data', 'buckets', 'bench');
mkdirSync(bucketDir, { recursive: true });
let svc: ChildService | undefined;
try {
  let t = performance.now();
  const small = CASES.has('a') ? generate(join(bucketDir, 'small.csv'), 5_000, 2_000) : undefined;
  const medium = CASES.has('b') ? generate(join(bucketDir, 'medium.csv'), 50_000, 20_000, { keep: RUN_EASE }) : undefined;
  if (medium) generateNewItems(join(bucketDir, 'medium-new.csv'), 50_000, 20_000, 50, 2_000);
  const large = CASES.has('c') ? generate(join(bucketDir, 'large.csv'), Math.round(LARGE_ROWS / MEAN_HISTORY), 20_000) : undefined;
  const made = [small, medium, large].filter((x) => x !== undefined);
  console.log(
    `generated ${made.map((x) => fmt(x.rows)).join(' + ')} interactions ` +
      `(${made.reduce((n, x) => n + x.mb, 0).toFixed(0)} MB) in ${seconds(performance.now() - t)}`,
  );

  svc = await startChildService({ OPENPERSONALIZE_DATA_DIR: join(dir, 'data'), OPENPERSONALIZE_PROVISIONING_MS: '0' });
  const client = new PersonalizeClient({
    endpoint: svc.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const bench = new TrainingBench(svc, client);

  let tb: Timing | undefined;
  if (small) {
    const a = await bench.groupWith('bench-small', 'small.csv');
    const x = await bench.version(await bench.solution(a.datasetGroupArn, 'up-small', 'aws-user-personalization'));
    console.log(`\n(import ${seconds(a.importMs)})`);
    console.log(describeTiming(`(a) aws-user-personalization, ${fmt(small.rows)} interactions / 2,000 items:`, x, 5));
    console.log(loadSteps(svc, x));
    ratio('(a) aws-user-personalization 100k → ACTIVE', x.ms / 1000, 5, ' s');
  }
  if (medium) {
    const b = await bench.groupWith('bench-medium', 'medium.csv');
    const solutionArn = await bench.solution(b.datasetGroupArn, 'up-medium', 'aws-user-personalization');
    tb = await bench.version(solutionArn);
    console.log(`\n(import ${seconds(b.importMs)})`);
    console.log(describeTiming(`(b) aws-user-personalization, ${fmt(medium.rows)} interactions / 20,000 items:`, tb, 60));
    console.log(loadSteps(svc, tb));
    ratio('(b) aws-user-personalization 1 M → ACTIVE', tb.ms / 1000, 60, ' s');
    const importMs = await bench.importInto(b.datasetArn, 'bench-medium-new', 'medium-new.csv', 'INCREMENTAL');
    const u = await bench.version(solutionArn, 'UPDATE');
    console.log(`(incremental import of 2,000 interactions with 50 new items ${seconds(importMs)})`);
    console.log(describeTiming(`(b) the same solution, trainingMode UPDATE:`, u, 60));
    console.log(`      UPDATE / FULL = ${(u.ms / tb.ms).toFixed(2)}`);
  }
  if (large) {
    const c = await bench.groupWith('bench-large', 'large.csv');
    console.log(`\n(import ${seconds(c.importMs)})`);
    for (const recipe of ['aws-popularity-count', 'aws-trending-now', 'aws-sims']) {
      const x = await bench.version(await bench.solution(c.datasetGroupArn, `${recipe}-large`, recipe));
      console.log(describeTiming(`(c) ${recipe}, ${fmt(large.rows)} interactions / 20,000 items:`, x, 30));
      console.log(loadSteps(svc, x));
      console.log(`      peak RSS target <= 2048 MB: ${x.peakMb <= 2048 ? 'met' : 'NOT met'}`);
      ratio(`(c) ${recipe} ${fmt(large.rows)} → ACTIVE`, x.ms / 1000, 30, ' s');
      ratio(`(c) ${recipe} peak RSS`, x.peakMb, 2048, ' MB');
    }
  }
  await svc.stop();
  svc = undefined;

  if (RUN_EASE && medium && tb) {
    const easeDir = join(dir, 'ease');
    mkdirSync(easeDir);
    const e = easeReference(medium.data!, easeDir);
    console.log(
      `\nreference: numpy EASE (λ=${EASE_LAMBDA}) on (b)'s data: gram ${e.gramS.toFixed(1)} s + inverse ${e.inverseS.toFixed(1)} s + scoring ` +
        `${e.scoreS.toFixed(1)} s = ${e.computeS.toFixed(1)} s (python wall ${e.wallS.toFixed(1)} s with CSV parsing; ` +
        `BLAS threads: ${process.env.OPENBLAS_NUM_THREADS ?? 'all cores'})`,
    );
    ratio('(b) our whole job / numpy EASE compute', tb.ms / 1000 / e.computeS, 1);
  } else if (medium) console.log('\nreference: numpy EASE skipped (BENCH_EASE=0)');
  console.log(`\nmachine: ${cpus().length} cores; a job's DuckDB uses 2 threads, its training one core`);
  console.log(`ratios to the targets (≤ 1 is met):\n  ${ratios.join('\n  ')}`);
} finally {
  await svc?.stop();
  rmSync(dir, { recursive: true, force: true });
}
