// What a dataset import job does (its mechanics — claiming, leases, retries — are the runner's):
// read the data location, validate every row into a new Parquet part, then switch the dataset
// to the new generation of parts in the same transaction that marks the job ACTIVE. Until that
// commit the dataset's data is untouched, so a failure or a crash at any point leaves the old data
// as it was, and a re-run after a crash starts from scratch with a fresh part.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, CatalogOps, QueuedJob, ResourceRecord } from '../../catalog/catalog.ts';
import { jobLogFields, type JobContext, type JobKind } from '../../jobs/job-runner.ts';
import type { Config } from '../../config/config.ts';
import type { ObjectStore } from '../../object-store/object-store.ts';
import type { DatasetBody } from '../../resources/datasets/dataset-operations.ts';
import type { ImportJobBody } from '../../resources/import-jobs/import-job-operations.ts';
import { parsedSchemaOf } from '../../resources/schemas/schema-operations.ts';
import { publishAttributionReport } from './attribution-report-work.ts';
import { DataLocationError, resolveDataLocation } from '../sources/data-location.ts';
import { compactParts, countNewRecords, eventTypesAfterIncrement, shouldCompact, validateToParquet } from '../engine/index.ts';
import { generationLock, type PartRef, type PartStore } from '../generations/part-store.ts';
import { stageSources } from '../sources/staging.ts';
import { IngestError, type EngineOptions } from '../engine/types.ts';

export interface WorkerDeps {
  catalog: Catalog;
  config: Config;
  objects: ObjectStore;
  parts: PartStore;
  now: () => number;
  log: (fields: Record<string, unknown>) => void;
  /** Told of each committed import (metrics: rows, rows/s). */
  observe?: { importCommitted(rows: number, seconds: number): void };
}

/** A failure the user caused or can fix: it becomes the job's failureReason as it is. */
class JobFailure extends Error {}

/** States a job never leaves. */
const FINAL_STATES = ['ACTIVE', 'CREATE FAILED', 'COMPLETED', 'FAILED'];

export async function setJobState(ops: CatalogOps, arn: string, now: number, status: string, patch: Record<string, unknown>): Promise<void> {
  const job = await ops.get(arn);
  if (!job) return;
  // Progress writes are not tied to the lease: a worker that stalled past its lease must not
  // reopen a job that another worker has since finished.
  if (FINAL_STATES.includes(job.status ?? '') && !FINAL_STATES.includes(status)) return;
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
    // One line per phase, durationMs since the job's start: where an import spends its time.
    const phase = (name: string, extra: Record<string, unknown> = {}) =>
      deps.log({ level: 'info', msg: 'import phase', ...jobLogFields(job.arn, job.kind), dataset: record.parentArn, worker: ctx.owner, phase: name, durationMs: deps.now() - started, ...extra });
    phase('reading');
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
      phase('validating', { objects: objects.length, totalBytes });

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
        const parts = await deps.parts.localPaths(existing.map((p) => p.key));
        const problem =
          (await countNewRecords({ schema, parts, incoming: output, engine })) ?? (await eventTypesAfterIncrement({ schema, parts, incoming: output, engine }));
        if (problem) throw new JobFailure(problem);
      }
      // Before the commit, so a report that cannot be published fails the job with the dataset untouched.
      const reportFailure = await publishAttributionReport(deps, { job: record, dataset, schema, part: output, workDir, engine });
      if (reportFailure) throw new JobFailure(reportFailure);

      // Many INCREMENTAL imports would leave many small parts to read: past a threshold the
      // generation is rewritten as one part, committed like any other new generation.
      const plain: PartRef = { key: deps.parts.newKey(dataset.arn), rows: result.rows, jobArn: job.arn };
      phase('committing', { rows: result.rows });
      await deps.parts.put(output, plain.key);
      let compacted: PartRef | undefined;
      if (body.importMode === 'INCREMENTAL' && shouldCompact(existing.length + 1)) {
        const merged = join(workDir, 'compacted.parquet');
        const paths = [...(await deps.parts.localPaths(existing.map((p) => p.key))), output];
        compacted = { key: deps.parts.newKey(dataset.arn), rows: (await compactParts({ schema, parts: paths, outputPath: merged, engine })).rows, jobArn: job.arn };
        await deps.parts.put(merged, compacted.key);
      }
      let garbage: PartRef[] = [];
      await ctx.finish(async (tx) => {
        await tx.lock(generationLock(dataset.arn)); // a data deletion job may switch it too
        const current = await tx.get(dataset.arn);
        if (!current) throw new JobFailure('The dataset was deleted while the import ran.');
        const currentBody = current.body as unknown as DatasetBody;
        const previous = currentBody.bulk?.parts ?? [];
        // The compacted part merges the parts this job read at its start; if another job (a data
        // deletion) switched the generation since, that merge is stale and the plain part is
        // appended instead.
        const sameBase = previous.length === existing.length && previous.every((p, i) => p.key === existing[i].key);
        let parts: PartRef[];
        if (body.importMode === 'FULL') {
          parts = [plain];
          garbage = previous;
        } else if (compacted && sameBase) {
          parts = [compacted];
          garbage = [...previous, plain];
        } else {
          parts = [...previous, plain];
          garbage = compacted ? [compacted] : [];
        }
        await tx.update({ ...current, body: { ...current.body, bulk: { parts } } });
        await setJobState(tx, job.arn, deps.now(), 'ACTIVE', { progress: { phase: 'done', rows: result.rows, bytes: result.bytesRead, totalBytes } });
      });
      const seconds = (deps.now() - started) / 1000;
      deps.observe?.importCommitted(result.rows, seconds);
      phase('done', { rows: result.rows, rowsPerSecond: seconds > 0 ? Math.round(result.rows / seconds) : undefined });
      // The old generation (and an unused part) is garbage once the new one is committed.
      await deps.parts.delete(garbage.map((p) => p.key)).catch((e: unknown) => deps.log({ level: 'warn', msg: 'could not delete replaced parts', error: String(e) }));
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
        deps.log({ level: 'info', msg: 'import phase', ...jobLogFields(job.arn, job.kind), worker: ctx.owner, phase: 'failed', reason: e.message });
        await ctx.finish((tx) => kind.fail(tx, job.arn, e.message));
      }
    },
    async fail(tx, arn, reason) {
      await setJobState(tx, arn, deps.now(), 'CREATE FAILED', { failureReason: reason, progress: undefined });
    },
  };
  return kind;
}
