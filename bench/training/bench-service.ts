// The training benchmark's side of the service: a child service process driven through the AWS
// SDK (dataset group, import, solution, CreateSolutionVersion → ACTIVE), each version's time split
// into the job's phases from the service's log (`training phase` lines, see
// src/training/solution-version-job-work.ts) and the process's peak RSS while it trained.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  PersonalizeClient,
  type TrainingMode,
} from '@aws-sdk/client-personalize';
import type { ChildService } from '../../test/testkit/child-service.ts';
import { SCHEMA } from './bench-data.ts';

const RECIPE = (name: string) => `arn:aws:personalize:::recipe/${name}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const peakMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/** Resets the process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0). */
const resetPeak = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, '5');

async function until<T>(what: string, fn: () => Promise<T | undefined>, pollMs: number, timeoutMs = 30 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}

export interface Timing {
  solutionVersionArn: string;
  ms: number;
  /** Milliseconds per job phase, in the order the job went through them, plus `other` (queue, commit, polling). */
  phases: [string, number][];
  metrics: Record<string, number>;
  peakMb: number;
}

/** What the phases of the job's log are called here. */
const PHASE_LABELS: Record<string, string> = {
  reading: 'read',
  loading: 'load',
  base: 'base model',
  tuning: 'hpo',
  evaluating: 'metrics',
  training: 'train',
  storing: 'store',
};

export class TrainingBench {
  constructor(
    readonly svc: ChildService,
    readonly client: PersonalizeClient,
  ) {}

  /** A dataset group whose Interactions dataset holds the CSV file `file` of the bucket `bench`. */
  async groupWith(name: string, file: string): Promise<{ datasetGroupArn: string; datasetArn: string; importMs: number }> {
    const c = this.client;
    const { schemaArn } = await c.send(new CreateSchemaCommand({ name: `${name}-schema`, schema: SCHEMA }));
    const { datasetGroupArn } = await c.send(new CreateDatasetGroupCommand({ name }));
    await until(
      'group ACTIVE',
      async () =>
        (await c.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status === 'ACTIVE' ? true : undefined,
      20,
    );
    const { datasetArn } = await c.send(new CreateDatasetCommand({ name, schemaArn, datasetGroupArn, datasetType: 'Interactions' }));
    await until(
      'dataset ACTIVE',
      async () => ((await c.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status === 'ACTIVE' ? true : undefined),
      20,
    );
    const importMs = await this.importInto(datasetArn!, `${name}-import`, file, 'FULL');
    return { datasetGroupArn: datasetGroupArn!, datasetArn: datasetArn!, importMs };
  }

  /** Imports `file` of the bucket `bench` into the dataset; returns how long it took to ACTIVE. */
  async importInto(datasetArn: string, jobName: string, file: string, importMode: 'FULL' | 'INCREMENTAL'): Promise<number> {
    const c = this.client;
    const t = performance.now();
    const { datasetImportJobArn } = await c.send(
      new CreateDatasetImportJobCommand({ jobName, datasetArn, importMode, dataSource: { dataLocation: `s3://bench/${file}` } }),
    );
    await until(
      'import ACTIVE',
      async () => {
        const job = (await c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
        if (job.status === 'CREATE FAILED') throw new Error(`import failed: ${job.failureReason}`);
        return job.status === 'ACTIVE' ? true : undefined;
      },
      50,
    );
    return performance.now() - t;
  }

  /** An ACTIVE solution of the recipe, without automatic training. */
  async solution(datasetGroupArn: string, name: string, recipe: string): Promise<string> {
    const c = this.client;
    const { solutionArn } = await c.send(
      new CreateSolutionCommand({ name, datasetGroupArn, recipeArn: RECIPE(recipe), performAutoTraining: false }),
    );
    await until(
      'solution ACTIVE',
      async () => ((await c.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE' ? true : undefined),
      20,
    );
    return solutionArn!;
  }

  /** Times one version of the solution, CreateSolutionVersion → ACTIVE. */
  async version(solutionArn: string, trainingMode?: TrainingMode): Promise<Timing> {
    const c = this.client;
    const pid = this.svc.process.pid!;
    resetPeak(pid);
    const t = performance.now();
    const { solutionVersionArn } = await c.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode }));
    await until(
      'version ACTIVE',
      async () => {
        const v = (await c.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
        if (v.status === 'CREATE FAILED') throw new Error(`training failed: ${v.failureReason}`);
        return v.status === 'ACTIVE' ? true : undefined;
      },
      50,
    );
    const ms = performance.now() - t;
    const peak = peakMb(pid);
    const { metrics } = await c.send(new GetSolutionMetricsCommand({ solutionVersionArn }));
    // Each phase lasts until the next one starts; `done` ends the last.
    const marks = this.svc
      .logLines()
      .filter((l) => l.msg === 'training phase' && l.job === solutionVersionArn)
      .map((l) => [String(l.phase), Number(l.durationMs)] as const);
    const phases: [string, number][] = [];
    for (let k = 0; k + 1 < marks.length; k++) {
      const label = PHASE_LABELS[marks[k][0]];
      if (label) phases.push([label, marks[k + 1][1] - marks[k][1]]);
    }
    phases.push(['other', ms - phases.reduce((s, [, v]) => s + v, 0)]);
    return { solutionVersionArn: solutionVersionArn!, ms, phases, metrics: metrics ?? {}, peakMb: peak };
  }
}

export function describeTiming(label: string, x: Timing, targetS: number): string {
  const ok = x.ms <= targetS * 1000 ? 'met' : `NOT met by ${seconds(x.ms - targetS * 1000)}`;
  const m = x.metrics;
  return (
    `${label} ${seconds(x.ms)} (target <= ${targetS} s: ${ok}); peak RSS ${x.peakMb.toFixed(0)} MB\n` +
    `      ${x.phases.map(([name, ms]) => `${name} ${seconds(ms)}`).join(' | ')}` +
    (m.normalized_discounted_cumulative_gain_at_25 !== undefined
      ? `; NDCG@25 ${m.normalized_discounted_cumulative_gain_at_25}, coverage ${m.coverage}`
      : '')
  );
}
