// Runs the ALS kernels (als-kernels.ts) either in this thread, in slices with a turn of the event
// loop between them (small data, tests: an abort or a lease heartbeat still gets its turn), or in
// worker threads on shared memory: the factor matrices and the interactions live in
// SharedArrayBuffers, so a task message carries only a row range. The main thread only waits, so
// the job's heartbeats and an abort (which terminates the workers) stay prompt.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { gramRows, solveRows, zRows, type AlsBuffers, type SolveParams } from './als-kernels.ts';
import { tick } from './params.ts';

export type AlsTask =
  | { op: 'gram'; side: 'users' | 'items'; lo: number; hi: number; slot: number }
  | { op: 'z'; side: 'users' | 'items'; lo: number; hi: number }
  | { op: 'solve'; side: 'users' | 'items'; lo: number; hi: number; params: SolveParams };

export function runTask(b: AlsBuffers, t: AlsTask): void {
  if (t.op === 'gram') gramRows(b, b[t.side].factors, t.lo, t.hi, t.slot);
  else if (t.op === 'z') zRows(b, b[t.side].factors, t.lo, t.hi);
  else solveRows(b, t.side, t.lo, t.hi, t.params);
}

export interface AlsRunner {
  readonly threads: number;
  /** Runs the tasks (at most one per thread) and resolves when all are done. */
  run(tasks: AlsTask[], signal?: AbortSignal): Promise<void>;
  close(): void;
}

/** Rows per slice between two turns of the event loop, by the task's rough cost. */
const SLICE_WORK = 4_000_000;

export class InlineRunner implements AlsRunner {
  readonly threads = 1;
  constructor(private readonly b: AlsBuffers) {}

  async run(tasks: AlsTask[], signal?: AbortSignal): Promise<void> {
    const k = this.b.k;
    for (const t of tasks) {
      const perRow = t.op === 'solve' ? 4 * k * k : k * k;
      const step = Math.max(1, Math.floor(SLICE_WORK / perRow));
      for (let lo = t.lo; lo < t.hi; lo += step) {
        await tick(signal);
        runTask(this.b, { ...t, lo, hi: Math.min(t.hi, lo + step) });
      }
    }
  }

  close(): void {}
}

interface WorkerInit {
  alsWorker: true;
  buffers: AlsBuffers;
}

/** A worker running this file; under tsx (development, tests) the worker registers tsx itself. */
function startWorker(init: WorkerInit): Worker {
  const self = new URL(import.meta.url);
  if (!self.pathname.endsWith('.ts')) return new Worker(self, { workerData: init });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(self.href)}); });`;
  return new Worker(code, { eval: true, workerData: init });
}

export class WorkerRunner implements AlsRunner {
  private readonly workers: Worker[];

  constructor(
    buffers: AlsBuffers,
    readonly threads: number,
  ) {
    this.workers = Array.from({ length: threads }, () => startWorker({ alsWorker: true, buffers }));
  }

  run(tasks: AlsTask[], signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const jobs = tasks.map(
      (t, i) =>
        new Promise<void>((resolve, reject) => {
          const w = this.workers[i];
          const done = (m: { error?: string }) => {
            cleanup();
            if (m.error) reject(new Error(m.error));
            else resolve();
          };
          const failed = (e: unknown) => (cleanup(), reject(e instanceof Error ? e : new Error(String(e))));
          const exited = (code: number) => failed(new Error(`an ALS worker exited (${code})`));
          const cleanup = () => (w.off('message', done), w.off('error', failed), w.off('exit', exited));
          w.on('message', done);
          w.on('error', failed);
          w.on('exit', exited);
          w.postMessage(t);
        }),
    );
    const all = Promise.all(jobs).then(() => undefined);
    if (!signal) return all;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => (this.close(), reject(signal.reason ?? new Error('aborted')));
      signal.addEventListener('abort', onAbort, { once: true });
      all.then(
        () => (signal.removeEventListener('abort', onAbort), resolve()),
        (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
      );
    });
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}

// In a worker: run each task on the shared buffers and say when it is done.
if (!isMainThread && (workerData as WorkerInit | undefined)?.alsWorker) {
  const { buffers } = workerData as WorkerInit;
  parentPort!.on('message', (t: AlsTask) => {
    try {
      runTask(buffers, t);
      parentPort!.postMessage({});
    } catch (e) {
      parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
    }
  });
}
