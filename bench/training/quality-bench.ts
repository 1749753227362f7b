// Quality of the user model against EASE (numpy, bench/training/ease-reference.py) and
// popularity, on AWS's holdout (offline-metrics.ts) of synthetic data (test/training/synthetic.ts).
// For each seed: one split; our model and popularity train on its training users through the
// Trainer port; the split goes to python as CSV files; EASE's top 25 come back and every list is
// scored by the same rankingMetrics. EASE is reported at its best λ on the test users themselves
// (an optimistic reference) and, for information, with our recency weighting of its query.
//
//   node --import tsx bench/training/quality-bench.ts [--seeds 1,2,3] [--users 6000] [--items 2000]
//        [--history 20] [--drift 0.5] [--lambdas 100,300,1000,3000] [--python python3]
// numpy's BLAS uses both cores here; our trainer runs on one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluationSplit } from '../../src/training/metrics/offline-metrics.ts';
import { rankingMetrics } from '../../src/training/metrics/ranking-metrics.ts';
import { popularityCountTrainer } from '../../src/training/models/popularity-count.ts';
import * as up from '../../src/training/models/user-personalization.ts';
import type { Trainer } from '../../src/training/trainer.ts';
import { synthetic } from '../../test/training/synthetic.ts';

const args = new Map<string, string>();
for (let a = 2; a < process.argv.length; a += 2) args.set(process.argv[a].replace(/^--/, ''), process.argv[a + 1]);
const seeds = (args.get('seeds') ?? '1,2,3').split(',').map(Number);
const users = Number(args.get('users') ?? 6000);
const items = Number(args.get('items') ?? 2000);
const history = Number(args.get('history') ?? 20);
const drift = Number(args.get('drift') ?? 0.5);
const lambdas = args.get('lambdas') ?? '100,300,1000,3000';
const python = args.get('python') ?? 'python3';
const script = join(import.meta.dirname, 'ease-reference.py');
const NDCG = 'normalized_discounted_cumulative_gain_at_25';

function csv(path: string, rows: Iterable<string>): void {
  writeFileSync(path, [...rows].join('\n') + '\n');
}

async function ours(trainer: Trainer, split: ReturnType<typeof evaluationSplit>) {
  const t = performance.now();
  const model = await trainer.train(split.train, {});
  const trainS = (performance.now() - t) / 1000;
  const lists = split.tests.map((x) => model.recommend({ history: x.input, k: 25 }).map((s) => s.item));
  return {
    metrics: rankingMetrics(
      lists,
      split.tests.map((x) => x.relevant),
      split.catalogSize,
    ),
    trainS,
  };
}

const rows: Record<string, number>[] = [];
for (const seed of seeds) {
  const s = synthetic({ seed, users, items, meanHistory: history, drift });
  const split = evaluationSplit(s.data, seed);
  const dir = mkdtempSync(join(tmpdir(), 'ease-'));
  const index = new Map(s.data.itemIds.map((id, i) => [id, i]));
  const tr = split.train;
  csv(
    join(dir, 'train.csv'),
    Array.from(tr.user, (u, r) => `${u},${tr.item[r]},${tr.time[r]}`),
  );
  csv(
    join(dir, 'test_input.csv'),
    split.tests.flatMap((x, u) => x.input.map((id, k) => `${u},${index.get(id)},${k}`)),
  );

  const mine = await ours(up.userPersonalizationTrainer, split);
  const tuning = up.lastTuning;
  const pop = await ours(popularityCountTrainer, split);
  const decay = tuning && Number.isFinite(tuning.params.decay) ? tuning.params.decay : 10;
  const t = performance.now();
  const py = spawnSync(python, [script, '--dir', dir, '--items', String(items), '--lambdas', lambdas, '--decays', `inf,${decay}`], {
    encoding: 'utf8',
  });
  const pyWall = (performance.now() - t) / 1000;
  if (py.status !== 0) throw new Error(`ease-reference.py failed: ${py.stderr}`);
  const report = JSON.parse(py.stdout.trim().split('\n').pop()!) as { gram_s: number; lambdas: Record<string, { inverse_s: number }> };
  const easeScore = (lam: string, d: string) => {
    const lists: string[][] = split.tests.map(() => []);
    for (const line of readFileSync(join(dir, `recs_${lam}_${d}.csv`), 'utf8').split('\n')) {
      if (!line) continue;
      const [u, , i] = line.split(',').map(Number);
      lists[u].push(s.data.itemIds[i]);
    }
    return rankingMetrics(
      lists,
      split.tests.map((x) => x.relevant),
      split.catalogSize,
    )[NDCG];
  };
  let best = { lam: '', ndcg: -1 };
  for (const lam of lambdas.split(',')) {
    const v = easeScore(lam, 'inf');
    if (v > best.ndcg) best = { lam, ndcg: v };
  }
  const easeRecency = easeScore(best.lam, String(decay));
  rmSync(dir, { recursive: true, force: true });
  const row = {
    seed,
    interactions: s.data.user.length,
    testUsers: split.tests.length,
    ours: mine.metrics[NDCG],
    ease: best.ndcg,
    easeLambda: Number(best.lam),
    easeRecency,
    popularity: pop.metrics[NDCG],
    oursTrainS: mine.trainS,
    easeInverseS: report.lambdas[best.lam].inverse_s,
    easeGramS: report.gram_s,
    pythonWallS: pyWall,
  };
  rows.push(row);
  console.log(
    `seed ${seed}: ${row.interactions} interactions, ${row.testUsers} test users | NDCG@25 ours ${row.ours.toFixed(4)}` +
      ` EASE(λ=${best.lam}) ${row.ease.toFixed(4)} EASE+recency ${easeRecency.toFixed(4)} popularity ${row.popularity.toFixed(4)}` +
      ` | ours/EASE ${(row.ours / row.ease).toFixed(3)} ours/pop ${(row.ours / row.popularity).toFixed(3)}` +
      ` | train ours ${row.oursTrainS.toFixed(1)} s (tuned ${JSON.stringify(tuning?.params)}), EASE gram ${row.easeGramS} s + inverse ${row.easeInverseS} s per λ, python wall ${pyWall.toFixed(1)} s`,
  );
}
const mean = (f: (r: Record<string, number>) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
const verdict = (x: number, target: number) => `${x.toFixed(3)} (target >= ${target}: ${x >= target ? 'met' : 'NOT met'})`;
console.log(
  `NDCG@25 of aws-user-personalization, mean over ${rows.length} seeds: / numpy EASE ${verdict(
    mean((r) => r.ours / r.ease),
    0.98,
  )}, ` +
    `/ aws-popularity-count ${verdict(
      mean((r) => r.ours / r.popularity),
      1.8,
    )}`,
);
console.log(
  `mean over ${rows.length} seeds (${users} users × ${items} items, history ${history}, drift ${drift}):` +
    ` ours/EASE ${mean((r) => r.ours / r.ease).toFixed(3)} (min ${Math.min(...rows.map((r) => r.ours / r.ease)).toFixed(3)}),` +
    ` ours/EASE+recency ${mean((r) => r.ours / r.easeRecency).toFixed(3)}, ours/popularity ${mean((r) => r.ours / r.popularity).toFixed(3)},` +
    ` train ours ${mean((r) => r.oursTrainS).toFixed(1)} s vs EASE ${mean((r) => r.easeGramS + r.easeInverseS).toFixed(1)} s (one λ)`,
);
