// What a dataset export job does: write the dataset's current rows (per ingestion mode) as CSV
// with a header of the schema's field names under the output path, as
// <path>/<jobName>/<jobName>_part00000.csv. BULK reads the bulk parts, PUT the individually put
// records, ALL both (record-parts.ts).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JobKind } from '../../jobs/job-runner.ts';
import { parseS3Url } from '../../object-store/object-store.ts';
import type { DatasetBody } from '../../resources/datasets/dataset-operations.ts';
import type { ExportJobBody } from '../../resources/export-jobs/export-job-operations.ts';
import { parsedSchemaOf } from '../../resources/schemas/schema-operations.ts';
import { engineOptions, setJobState, type WorkerDeps } from './import-job-work.ts';
import { exportToCsv } from '../engine/index.ts';
import { exportSources } from '../records/record-parts.ts';
import type { RecordStore } from '../records/record-store.ts';

export function exportJobKind(deps: WorkerDeps & { records?: RecordStore }): JobKind {
  const kind: JobKind = {
    kind: 'dataset-export-job',
    async run(job, ctx) {
      const record = await deps.catalog.get(job.arn);
      if (!record) return ctx.finish(async () => {});
      const body = record.body as unknown as ExportJobBody;
      await setJobState(deps.catalog, job.arn, deps.now(), 'CREATE IN_PROGRESS', {});
      const dataset = await deps.catalog.get(record.parentArn!);
      if (!dataset) return ctx.finish((tx) => kind.fail(tx, job.arn, 'The dataset was deleted before the export ran.'));
      const datasetBody = dataset.body as unknown as DatasetBody;
      const schemaRecord = await deps.catalog.get(datasetBody.schemaArn);
      if (!schemaRecord) return ctx.finish((tx) => kind.fail(tx, job.arn, 'The dataset schema no longer exists.'));
      const schema = parsedSchemaOf(schemaRecord);
      const bulkParts = body.ingestionMode === 'PUT' ? [] : (datasetBody.bulk?.parts ?? []);

      mkdirSync(join(deps.config.dataDir, 'work'), { recursive: true });
      const workDir = mkdtempSync(join(deps.config.dataDir, 'work', `${record.name}-`));
      try {
        const output = join(workDir, 'export.csv');
        const engine = engineOptions(deps.config, workDir);
        const paths = await deps.parts.localPaths(bulkParts.map((p) => p.key));
        // When each part's import committed: ALL orders records and parts by time.
        const committed = await Promise.all(bulkParts.map(async (p) => (await deps.catalog.get(p.jobArn))?.updatedAt ?? 0));
        const bulk = paths.map((path, i) => ({ path, committedAt: committed[i] }));
        const parts = await exportSources({ mode: body.ingestionMode, schema, bulk, records: deps.records, datasetArn: dataset.arn, workDir, engine });
        const { rows } = await exportToCsv({ schema, parts, outputPath: output, engine });
        const target = parseS3Url(body.jobOutput.s3DataDestination.path)!;
        const prefix = target.key === '' || target.key.endsWith('/') ? target.key : `${target.key}/`;
        const key = `${prefix}${record.name}/${record.name}_part00000.csv`;
        await deps.objects.putFile(target.bucket, key, output);
        await ctx.finish((tx) => setJobState(tx, job.arn, deps.now(), 'ACTIVE', { outputKeys: [key], rows }));
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    },
    async fail(tx, arn, reason) {
      await setJobState(tx, arn, deps.now(), 'CREATE FAILED', { failureReason: reason });
    },
  };
  return kind;
}
