// What a dataset import job does (its mechanics — claiming, leases, retries — are the runner's):
// read the data location, validate every row into a new Parquet part, then switch the dataset
// to the new generation of parts in the same transaction that marks the job ACTIVE. Until that
// commit the dataset's data is untouched, so a failure or a crash at any point leaves the old data
// as it was, and a re-run after a crash starts from scratch with a fresh part.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, CatalogOps, QueuedJob, ResourceRecord } from '../catalog/catalog.ts';
import type { JobContext, JobKind } from '../jobs/job-runner.ts';
import type { Config } from '../main/config.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import type { DatasetBody } from '../resources/datasets/dataset-operations.ts';
import type { ImportJobBody } from '../resources/import-jobs/import-job-operations.ts';
import { parsedSchemaOf } from '../resources/schemas/schema-operations.ts';
import { DataLocationError, resolveDataLocation } from './data-location.ts';
import { compactParts, countNewRecords, shouldCompact, validateToParquet } from './index.ts';
import type { PartRef, PartStore } from './part-store.ts';
import { stageSources } from './staging.ts';
import { IngestError, type EngineOptions } from './types.ts';

export interface WorkerDeps {
  catalog: Catalog;
  config: Config;
  objects: ObjectStore;
  parts: PartStore;
  now: () => number;
  log: (fields: Record<string, unknown>) => void;
}

/** A failure the user caused or can fix: it becomes the job's failureReason as it is. */
class JobFailure extends Error {}

export async function setJobState(ops: CatalogOps, arn: string, now: number, status: string, patch: Record<string, unknown>): Promise<void> {
  const job = await ops.get(arn);
  if (!job) return;
  await ops.update({ ...job, status, updatedAt: now, body: { ...job.body, ...patch } });
}

export function engineOptions(config: Config, workDir: string): EngineOptions {
  return { workDir, memoryLimit: config.duckdbMemoryLimit, threads: 2 };
}

export function importJobKind(deps: WorkerDeps): JobKind {
  async function load(arn: string): Promise<ResourceRecord> {
    const record = await deps.catalog.get(arn);
    if (!record) throw new JobFailure(`The resource ${arn} no longer exists.`);
    return record;
  }

  async function run(job: QueuedJob, ctx: JobContext): Promise<void> {
    const record = await load(job.arn);
    const body = record.body as unknown as ImportJobBody;
    const started = deps.now();
    await setJobState(deps.catalog, job.arn, started, 'CREATE IN_PROGRESS', { progress: { phase: 'reading' } });
    const dataset = await load(record.parentArn!);
    const datasetBody = dataset.body as unknown as DatasetBody;
    const schema = parsedSchemaOf(await load(datasetBody.schemaArn));

    mkdirSync(join(deps.config.dataDir, 'work'), { recursive: true });
    const workDir = mkdtempSync(join(deps.config.dataDir, 'work', `${record.name}-`));
    try {
      let objects;
      try {
        objects = await resolveDataLocation(body.dataSource.dataLocation, deps.objects, deps.config.httpAllowHosts);
      } catch (e) {
        if (e instanceof DataLocationError) throw new JobFailure(e.message);
        throw e;
      }
      const totalBytes = objects.reduce((n, o) => n + (o.size ?? 0), 0);
      const sources = await stageSources(objects, workDir, ctx.signal);
      await setJobState(deps.catalog, job.arn, deps.now(), 'CREATE IN_PROGRESS', { progress: { phase: 'validating', totalBytes } });

      const output = join(workDir, 'part.parquet');
      const engine = engineOptions(deps.config, workDir);
      const result = await validateToParquet({ schema, sources, outputPath: output, engine }).catch((e: unknown) => {
        if (e instanceof IngestError) throw new JobFailure(e.message);
        throw e;
      });
      if (!result.ok) throw new JobFailure(result.failureReason);
      ctx.signal.throwIfAborted();

      const existing = body.importMode === 'INCREMENTAL' ? (datasetBody.bulk?.parts ?? []) : [];
      if (body.importMode === 'INCREMENTAL') {
        const problem = await countNewRecords({ schema, parts: await deps.parts.localPaths(existing.map((p) => p.key)), incoming: output, engine });
        if (problem) throw new JobFailure(problem);
      }

      // Many INCREMENTAL imports would leave many small parts to read: past a threshold the
      // generation is rewritten as one part, committed like any other new generation.
      let upload = output;
      let rowsInPart = result.rows;
      const compact = body.importMode === 'INCREMENTAL' && shouldCompact(existing.length + 1);
      if (compact) {
        upload = join(workDir, 'compacted.parquet');
        const paths = [...(await deps.parts.localPaths(existing.map((p) => p.key))), output];
        rowsInPart = (await compactParts({ schema, parts: paths, outputPath: upload, engine })).rows;
      }
      const part: PartRef = { key: deps.parts.newKey(dataset.arn), rows: rowsInPart, jobArn: job.arn };
      await deps.parts.put(upload, part.key);
      let replaced: PartRef[] = [];
      await ctx.finish(async (tx) => {
        const current = await tx.get(dataset.arn);
        if (!current) throw new JobFailure('The dataset was deleted while the import ran.');
        const currentBody = current.body as unknown as DatasetBody;
        const previous = currentBody.bulk?.parts ?? [];
        const whole = body.importMode === 'FULL' || compact;
        replaced = whole ? previous : [];
        const parts = whole ? [part] : [...previous, part];
        await tx.update({ ...current, body: { ...current.body, bulk: { parts } } });
        await setJobState(tx, job.arn, deps.now(), 'ACTIVE', { progress: { phase: 'done', rows: result.rows, bytes: result.bytesRead, totalBytes } });
      });
      // The old generation is garbage once the new one is committed.
      await deps.parts.delete(replaced.map((p) => p.key)).catch((e: unknown) => deps.log({ level: 'warn', msg: 'could not delete replaced parts', error: String(e) }));
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }

  const kind: JobKind = {
    kind: 'dataset-import-job',
    async run(job, ctx) {
      try {
        await run(job, ctx);
      } catch (e) {
        if (!(e instanceof JobFailure)) throw e;
        await ctx.finish((tx) => kind.fail(tx, job.arn, e.message));
      }
    },
    async fail(tx, arn, reason) {
      await setJobState(tx, arn, deps.now(), 'CREATE FAILED', { failureReason: reason, progress: undefined });
    },
  };
  return kind;
}
