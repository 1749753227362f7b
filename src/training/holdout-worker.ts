// The offline metrics of a large training in a worker thread, so that the holdout's model (trained
// on 90 % of the users, then scored) and the final model (on all of them) train at the same time
// on two cores: for the recipes without Trainer.refit (SIMS, popularity, trending, ...) they are
// independent, and at 10 M interactions each takes seconds. The worker gets the TrainingData
// without a copy (loadTrainingData puts its arrays in SharedArrayBuffers; ID lists are copied)
// and the recipe's built-in trainer by name, so an injected trainer (tests) stays in-thread.
// Below MIN_INTERACTIONS a worker's start (a fresh V8 isolate loading the trainers) costs more
// than it saves. An abort of the job terminates the worker.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { JobFailure } from '../jobs/job-failure.ts';
import { offlineMetrics } from './metrics/offline-metrics.ts';
import { BUILT_IN_TRAINERS } from './models/built-in-trainers.ts';
import type { Trainer, TrainingData } from './trainer.ts';

/** Interactions from which the holdout runs in a worker. */
export const MIN_INTERACTIONS = 500_000;

interface Task {
  holdoutTask: true;
  recipe: string;
  data: TrainingData;
  hyperParameters: Record<string, string>;
}

type Outcome = { metrics: Record<string, number> } | { error: { name: string; message: string } };

/** Whether `evaluateInWorker` can take this training's metrics. */
export function canEvaluateInWorker(trainer: Trainer, data: TrainingData): boolean {
  return data.user.length >= MIN_INTERACTIONS && BUILT_IN_TRAINERS.get(trainer.recipe) === trainer;
}

/** A worker running this file; under tsx (development, tests) the worker registers tsx itself. */
function startWorker(task: Task): Worker {
  const self = new URL(import.meta.url);
  if (!self.pathname.endsWith('.ts')) return new Worker(self, { workerData: task });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(self.href)}); });`;
  return new Worker(code, { eval: true, workerData: task });
}

/** offlineMetrics(trainer, data, hyperParameters) in a worker thread. */
export function evaluateInWorker(
  trainer: Trainer,
  data: TrainingData,
  hyperParameters: Record<string, string>,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const worker = startWorker({ holdoutTask: true, recipe: trainer.recipe, data, hyperParameters });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      f();
    };
    const onAbort = () => settle(() => reject(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: Outcome) =>
      settle(() => {
        if ('metrics' in m) resolve(m.metrics);
        else reject(m.error.name === 'JobFailure' ? new JobFailure(m.error.message) : new Error(m.error.message));
      }),
    );
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the metrics worker exited (${code}) without a result`))));
  });
}

// In the worker: train and score the holdout, post the metrics (or the error) back.
if (!isMainThread && (workerData as Task | undefined)?.holdoutTask) {
  const task = workerData as Task;
  const trainer = BUILT_IN_TRAINERS.get(task.recipe)!;
  offlineMetrics(trainer, task.data, task.hyperParameters).then(
    (metrics) => parentPort!.postMessage({ metrics } satisfies Outcome),
    (e: unknown) =>
      parentPort!.postMessage({
        error: { name: e instanceof JobFailure ? 'JobFailure' : 'Error', message: e instanceof Error ? e.message : String(e) },
      } satisfies Outcome),
  );
}
