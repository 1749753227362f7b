// The speed reference of the training benchmark: numpy EASE (ease-reference.py, one λ) trained and
// scored on the holdout GetSolutionMetrics uses (evaluationSplit, seed 0) of the same data. Its
// compute time (Gram matrix + inverse + scoring, CSV parsing left out) is what our whole job
// (reading the dataset, training, metrics, artifact) is compared with.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluationSplit } from '../../src/training/metrics/offline-metrics.ts';
import type { TrainingData } from '../../src/training/trainer.ts';

export const EASE_LAMBDA = '1000';

export interface EaseTimes {
  /** python3's wall time, CSV parsing included. */
  wallS: number;
  gramS: number;
  inverseS: number;
  scoreS: number;
  /** gram + inverse + scoring. */
  computeS: number;
}

/** Runs numpy EASE on `data`'s holdout in `dir` (CSV files in, recommendations out); its times. */
export function easeReference(data: TrainingData, dir: string): EaseTimes {
  const split = evaluationSplit(data, 0);
  const index = new Map(data.itemIds.map((id, i) => [id, i]));
  const tr = split.train;
  const train: string[] = [];
  for (let r = 0; r < tr.user.length; r++) train.push(`${tr.user[r]},${tr.item[r]},${tr.time[r]}`);
  writeFileSync(join(dir, 'train.csv'), `${train.join('\n')}\n`);
  writeFileSync(
    join(dir, 'test_input.csv'),
    `${split.tests.flatMap((x, u) => x.input.map((id, k) => `${u},${index.get(id)},${k}`)).join('\n')}\n`,
  );
  const t = performance.now();
  const script = join(import.meta.dirname, 'ease-reference.py');
  const py = spawnSync(
    process.env.BENCH_PYTHON ?? 'python3',
    [script, '--dir', dir, '--items', String(data.itemIds.length), '--lambdas', EASE_LAMBDA],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const wallS = (performance.now() - t) / 1000;
  if (py.status !== 0) throw new Error(`ease-reference.py failed (${py.status}): ${py.stderr}`);
  const report = JSON.parse(py.stdout.trim().split('\n').pop()!) as {
    gram_s: number;
    lambdas: Record<string, { inverse_s: number; score_s: number }>;
  };
  const { inverse_s, score_s } = report.lambdas[EASE_LAMBDA];
  return { wallS, gramS: report.gram_s, inverseS: inverse_s, scoreS: score_s, computeS: report.gram_s + inverse_s + score_s };
}
