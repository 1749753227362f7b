// The console's batch job page: a batch inference or segment job as Describe shows it, its
// progress over its input files, and a preview of its output: the first lines of the first
// `.out` files. Only files the job has completed are read (BatchProgress.filesDone): a `.out` is
// written whole when its input file is done, so nothing half written is ever shown, and a job
// still running shows the files it has finished.
import type { ObjectStore } from '../object-store/object-store.ts';
import { BATCH_INFERENCE_JOB_KIND, type BatchInferenceJobBody } from '../resources/batch-inference-jobs/batch-inference-job-record.ts';
import { BATCH_SEGMENT_JOB_KIND } from '../resources/batch-segment-jobs/batch-segment-job-record.ts';
import { DATASET_GROUP_KIND } from '../resources/dataset-groups/dataset-group-record.ts';
import type { BatchJobDetail } from './console-training-types.ts';
import type { ConsoleCaller } from './console-session.ts';
import { batchRow, type ConsoleReads } from './model-pages.ts';

/** Output files previewed, lines of each, and the bytes read of each (a line longer than that is cut). */
const PREVIEW_FILES = 3;
const PREVIEW_LINES = 10;
const PREVIEW_BYTES = 64 * 1024;
const MAX_LINE_CHARS = 2000;

async function firstLines(objects: ObjectStore, bucket: string, key: string): Promise<{ lines: string[]; truncated: boolean }> {
  const info = await objects.head(bucket, key);
  if (!info || info.size === 0) return { lines: [], truncated: false };
  const stream = await objects.read(bucket, key, { start: 0, end: Math.min(info.size, PREVIEW_BYTES) - 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  const all = text.split('\n');
  // The last piece is a whole line only when the read reached the end of the object.
  if (info.size > PREVIEW_BYTES || all[all.length - 1] === '') all.pop();
  const lines = all.slice(0, PREVIEW_LINES).map((l) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS - 1)}…` : l));
  return { lines, truncated: info.size > PREVIEW_BYTES || all.length > PREVIEW_LINES };
}

export async function batchJobDetail(
  reads: ConsoleReads,
  objects: ObjectStore,
  c: ConsoleCaller,
  arn: string | null,
): Promise<BatchJobDetail> {
  const kind = arn?.includes(':batch-segment-job/') ? BATCH_SEGMENT_JOB_KIND : BATCH_INFERENCE_JOB_KIND;
  const job = await reads.load(c, kind, arn);
  const body = job.body as unknown as BatchInferenceJobBody;
  const group = await reads.load(c, DATASET_GROUP_KIND, body.datasetGroupArn);
  const p = body.progress;
  const preview: BatchJobDetail['preview'] = [];
  for (const f of p?.files.slice(0, Math.min(p.filesDone, PREVIEW_FILES)) ?? []) {
    const file = `s3://${p!.outputBucket}/${f.outKey}`;
    try {
      preview.push({ file, ...(await firstLines(objects, p!.outputBucket, f.outKey)) });
    } catch (e) {
      // Output the user deleted or cannot read: say so on the page rather than fail it.
      preview.push({ file, lines: [], truncated: false, error: `cannot read it: ${(e as Error).message}` });
    }
  }
  const version = body.solutionVersionArn;
  return {
    ...batchRow(job),
    groupArn: group.arn,
    groupName: group.name,
    solutionArn: version.slice(0, version.lastIndexOf('/')),
    recipe: body.recipe,
    mode: kind === BATCH_INFERENCE_JOB_KIND ? body.batchInferenceJobMode : undefined,
    filterArn: body.filterArn,
    numResults: body.numResults,
    inputPath: body.jobInput.s3DataSource.path,
    outputPath: body.jobOutput.s3DataDestination.path,
    config: kind === BATCH_INFERENCE_JOB_KIND ? (body.batchInferenceJobConfig ?? body.themeGenerationConfig) : undefined,
    preview,
  };
}
