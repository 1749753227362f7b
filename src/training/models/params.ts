// Hyperparameters arrive as strings (training-rules §1.4). Each trainer parses and range-checks
// its own with these helpers; a bad value is the user's to fix, so it fails the job with a
// readable reason. Names a recipe does not know are ignored (HPO and AutoML pass extra keys).
import { JobFailure } from '../../jobs/job-failure.ts';

export type HyperParameters = Record<string, string>;

function raw(hp: HyperParameters, names: string[]): [string, string] | undefined {
  for (const n of names) if (hp[n] !== undefined && hp[n] !== '') return [n, hp[n].trim()];
  return undefined;
}

/** An integer in [min, max]; `names` lists accepted spellings, first is the documented one. */
export function intParam(hp: HyperParameters, names: string | string[], def: number, min: number, max: number): number {
  const r = raw(hp, typeof names === 'string' ? [names] : names);
  if (!r) return def;
  const v = Number(r[1]);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new JobFailure(`Invalid hyperparameter ${r[0]}: "${r[1]}" is not an integer in [${min}, ${max}]`);
  }
  return v;
}

export function floatParam(hp: HyperParameters, names: string | string[], def: number, min: number, max: number): number {
  const r = raw(hp, typeof names === 'string' ? [names] : names);
  if (!r) return def;
  const v = Number(r[1]);
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new JobFailure(`Invalid hyperparameter ${r[0]}: "${r[1]}" is not a number in [${min}, ${max}]`);
  }
  return v;
}

/** "true"/"false" in any case (the docs write both `true` and `True`). */
export function boolParam(hp: HyperParameters, names: string | string[], def: boolean): boolean {
  const r = raw(hp, typeof names === 'string' ? [names] : names);
  if (!r) return def;
  const v = r[1].toLowerCase();
  if (v !== 'true' && v !== 'false') throw new JobFailure(`Invalid hyperparameter ${r[0]}: "${r[1]}" is not true or false`);
  return v === 'true';
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}

/** Yields to the event loop so that an abort (or a lease heartbeat) gets a turn in long loops. */
export function tick(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      if (signal?.aborted) reject(signal.reason ?? new Error('aborted'));
      else resolve();
    }),
  );
}
