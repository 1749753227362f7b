// What a dataset import job does (its mechanics — claiming, leases, retries — are the runner's):
// read the data location, validate every row into a new Parquet part, then switch the dataset
// to the new generation of parts in the same transaction that marks the job ACTIVE. Until that
// commit the dataset's data is untouched, so a failure or a crash at any point leaves the old data
// as it was, and a re-run after a crash starts from scratch with a fresh part.
import { join } from 'node:path';
import type { QueuedJob, ResourceRecord } from '../../catalog/catalog.ts';
import { JobFailure } from '../../jobs/job-failure.ts';
import { withWorkDir } from '../../jobs/work-dir.ts';
import { jobLogFields, type JobContext, type JobKind } from '../../jobs/job-runner.ts';
import { setJobState } from '../../jobs/job-state.ts';
import type { DatasetBody } from '../../resources/datasets/dataset-record.ts';
import { IMPORT_JOB_KIND, IMPORT_JOB_STATUSES, type ImportJobBody } from '../../resources/import-jobs/import-job-record.ts';
import { parsedSchemaOf } from '../../resources/schemas/schema-record.ts';
import { attributionOfGroup } from '../../resources/metric-attributions/metric-attribution-record.ts';
import { publishAttributionReport } from './attribution-report-work.ts';
import { DataLocationError, resolveDataLocation } from '../sources/data-location.ts';
import {
  attributionSourcesAfterImport,
  compactParts,
  countNewRecords,
  eventTypesAfterImport,
  shouldCompact,
  validateToParquet,
} from '../engine/index.ts';
import type { PartRef } from '../generations/part-store.ts';
import { switchGeneration, type GenerationChange } from '../generations/generation-switch.ts';
import { stageSources } from '../sources/staging.ts';
import { engineOptions } from '../engine/engine-options.ts';
import { maxDistinctEventTypes } from '../engine/cell-rules.ts';
import type { WorkerDeps } from './work-deps.ts';
import { IngestError } from '../engine/types.ts';

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
    await setJobState(deps.catalog, IMPORT_JOB_STATUSES, job.arn, started, 'CREATE IN_PROGRESS', { progress: { phase: 'reading' } });
    // One line per phase, durationMs since the job's start: where an import spends its time.
    const phase = (name: string, extra: Record<string, unknown> = {}) =>
      deps.log({
        level: 'info',
        msg: 'import phase',
        ...jobLogFields(job.arn, job.kind),
        dataset: record.parentArn,
        worker: ctx.owner,
        phase: name,
        durationMs: deps.now() - started,
        ...extra,
      });
    phase('reading');
    const dataset = await load(record.parentArn!);
    const datasetBody = dataset.body as unknown as DatasetBody;
    const schema = parsedSchemaOf(await load(datasetBody.schemaArn));

    await withWorkDir(deps.config.dataDir, record.name, async (workDir) => {
      let objects;
      try {
        objects = await resolveDataLocation(body.dataSource.dataLocation, deps.objects, deps.config.httpAllowHosts);
      } catch (e) {
        if (e instanceof DataLocationError) throw new JobFailure(e.message);
        throw e;
      }
      const totalBytes = objects.reduce((n, o) => n + (o.size ?? 0), 0);
      const sources = await stageSources(objects, workDir, ctx.signal);
      await setJobState(deps.catalog, IMPORT_JOB_STATUSES, job.arn, deps.now(), 'CREATE IN_PROGRESS', {
        progress: { phase: 'validating', totalBytes },
      });
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
      const parts = await deps.parts.localPaths(existing.map((p) => p.key));
      if (body.importMode === 'INCREMENTAL') {
        const problem = await countNewRecords({ schema, parts, incoming: output, engine });
        if (problem) throw new JobFailure(problem);
      }
      const max = maxDistinctEventTypes(schema);
      if (max !== null) {
        // One more than the limit is enough to know the limit is passed.
        const putTypes = await deps.records.distinctCells(dataset.arn, 'EVENT_TYPE', max + 1);
        const problem = await eventTypesAfterImport({ schema, parts, incoming: output, putTypes, engine });
        if (problem) throw new JobFailure(problem);
      }
      if (schema.datasetType === 'INTERACTIONS' && (await attributionOfGroup(deps.catalog, { ...dataset, arn: dataset.parentArn! }))) {
        const problem = await attributionSourcesAfterImport({ schema, parts, incoming: output, engine });
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
        compacted = {
          key: deps.parts.newKey(dataset.arn),
          rows: (await compactParts({ schema, parts: paths, outputPath: merged, engine })).rows,
          jobArn: job.arn,
        };
        await deps.parts.put(merged, compacted.key);
      }
      const change: GenerationChange =
        body.importMode === 'FULL'
          ? { kind: 'replace', part: plain }
          : { kind: 'append', part: plain, compacted: compacted && { part: compacted, base: existing } };
      await ctx.finish(async (tx) => {
        // A data deletion job may switch the generation too: switchGeneration serialises the two.
        const next = await switchGeneration(tx, dataset.arn, change, deps.now());
        if (next === 'no-dataset') throw new JobFailure('The dataset was deleted while the import ran.');
        if (next === 'stale') throw new Error('an append cannot be stale');
        await setJobState(tx, IMPORT_JOB_STATUSES, job.arn, deps.now(), 'ACTIVE', {
          progress: { phase: 'done', rows: result.rows, bytes: result.bytesRead, totalBytes },
        });
      });
      const seconds = (deps.now() - started) / 1000;
      deps.observe?.importCommitted(result.rows, seconds);
      // The generation it replaced is retired, not deleted: readers may still be reading it (part-store.ts).
      phase('done', { rows: result.rows, rowsPerSecond: seconds > 0 ? Math.round(result.rows / seconds) : undefined });
    });
  }

  const kind: JobKind = {
    kind: IMPORT_JOB_KIND.kind,
    phaseMessage: 'import phase',
    run: (job, ctx) => run(job, ctx),
    async fail(tx, arn, reason) {
      await setJobState(tx, IMPORT_JOB_STATUSES, arn, deps.now(), 'CREATE FAILED', { failureReason: reason, progress: undefined });
    },
  };
  return kind;
}
