// What a dataset export job does: write the dataset's current rows (per ingestion mode) as CSV
// with a header of the schema's field names under the output path, as
// <path>/<jobName>/<jobName>_part00000.csv. BULK reads the bulk parts, PUT the individually put
// records, ALL both (data/reader.ts).
import { join } from 'node:path';
import type { JobKind } from '../../jobs/job-runner.ts';
import { JobFailure } from '../../jobs/job-failure.ts';
import { withWorkDir } from '../../jobs/work-dir.ts';
import { ObjectStoreError, parseS3Url } from '../../object-store/object-store.ts';
import { setJobState } from '../../jobs/job-state.ts';
import { EXPORT_JOB_KIND, EXPORT_JOB_STATUSES, type ExportJobBody } from '../../resources/export-jobs/export-job-record.ts';
import { engineOptions } from '../engine/engine-options.ts';
import { exportToCsv } from '../engine/index.ts';
import type { WorkerDeps } from './work-deps.ts';

const UNREADABLE = { 'no-dataset': 'The dataset was deleted before the export ran.', 'no-schema': 'The dataset schema no longer exists.' };

export function exportJobKind(deps: WorkerDeps): JobKind {
  const kind: JobKind = {
    kind: EXPORT_JOB_KIND.kind,
    async run(job, ctx) {
      const record = await deps.catalog.get(job.arn);
      if (!record) return ctx.finish(async () => {});
      const body = record.body as unknown as ExportJobBody;
      await setJobState(deps.catalog, EXPORT_JOB_STATUSES, job.arn, deps.now(), 'CREATE IN_PROGRESS', {});
      const dataset = await deps.reader.open(record.parentArn!, body.ingestionMode);
      if (typeof dataset === 'string') throw new JobFailure(UNREADABLE[dataset]);
      await withWorkDir(deps.config.dataDir, record.name, async (workDir) => {
        const output = join(workDir, 'export.csv');
        const engine = engineOptions(deps.config, workDir);
        const parts = await deps.reader.sources(dataset, body.ingestionMode, workDir, engine);
        const { rows } = await exportToCsv({ schema: dataset.schema, parts, outputPath: output, engine });
        const target = parseS3Url(body.jobOutput.s3DataDestination.path)!;
        const prefix = target.key === '' || target.key.endsWith('/') ? target.key : `${target.key}/`;
        const key = `${prefix}${record.name}/${record.name}_part00000.csv`;
        await deps.objects.putFile(target.bucket, key, output).catch((e: unknown) => {
          // CreateDatasetExportJob checked the bucket; it can still be gone (or closed to us) when the job runs.
          if (e instanceof ObjectStoreError && (e.reason === 'no-bucket' || e.reason === 'access-denied')) {
            throw new JobFailure(`Could not write the export to ${body.jobOutput.s3DataDestination.path}: ${e.message}`);
          }
          throw e;
        });
        await ctx.finish((tx) => setJobState(tx, EXPORT_JOB_STATUSES, job.arn, deps.now(), 'ACTIVE', { outputKeys: [key], rows }));
      });
    },
    async fail(tx, arn, reason) {
      await setJobState(tx, EXPORT_JOB_STATUSES, arn, deps.now(), 'CREATE FAILED', { failureReason: reason });
    },
  };
  return kind;
}
