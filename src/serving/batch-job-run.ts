// The part of a batch job (inference or segment) that is the same for both kinds: fix the input
// files at the first run (batch-io.ts), answer each file's lines into its `.out`, record in the
// job's document after each file how many are complete, and end the job ACTIVE in the
// transaction that takes it off the queue. A run that takes the job over after its worker died
// (the runner's lease) starts at the first file without its complete output: files done stay as
// they are, and a file that was half answered is answered again from its start, its `.out` put in
// place only when complete. Answers depend only on the data and the job (exploration is seeded by
// the line), so a file answered twice gives the same output.
import type { QueuedJob, ResourceRecord } from '../catalog/catalog.ts';
import type { JobContext } from '../jobs/job-runner.ts';
import { jobLogFields } from '../jobs/job-runner.ts';
import { setJobState } from '../jobs/job-state.ts';
import { withWorkDir } from '../jobs/work-dir.ts';
import type { BatchJobRequestBody, BatchProgress } from '../resources/batch-jobs/batch-job-record.ts';
import type { StatusTable } from '../resources/shared/status-table.ts';
import type { TrainingDeps } from '../training/solution-version-job-work.ts';
import { planBatchFiles, runBatchFile, type LineAnswer } from './batch-io.ts';

type BatchStatus = 'CREATE PENDING' | 'CREATE IN_PROGRESS' | 'ACTIVE' | 'CREATE FAILED';

export interface BatchRun {
  deps: TrainingDeps;
  table: StatusTable<BatchStatus>;
  job: QueuedJob;
  ctx: JobContext;
  record: ResourceRecord;
  /** The most lines an input file may have. */
  maxLinesPerFile: number;
  /** At the first run, once the files are known: checks of the input as a whole (JobFailure). */
  checkInput?(progress: BatchProgress): Promise<void>;
  answer: LineAnswer;
}

/** Answers the job's files not done yet and ends the job ACTIVE (see the header). */
export async function runBatchFiles(r: BatchRun): Promise<void> {
  const { deps, record } = r;
  const body = record.body as unknown as BatchJobRequestBody;
  const started = deps.now();
  let progress: BatchProgress;
  if (body.progress) progress = body.progress;
  else {
    progress = await planBatchFiles(deps.objects, body.jobInput.s3DataSource.path, body.jobOutput.s3DataDestination.path);
    await r.checkInput?.(progress);
    await setJobState(deps.catalog, r.table, record.arn, deps.now(), 'CREATE IN_PROGRESS', { progress });
  }
  const fields = { ...jobLogFields(record.arn, record.kind), worker: r.ctx.owner, attempt: r.ctx.attempt };
  await withWorkDir(deps.config.dataDir, record.name, async (workDir) => {
    while (progress.filesDone < progress.files.length) {
      const file = progress.files[progress.filesDone];
      const fileStarted = deps.now();
      const done = await runBatchFile({
        objects: deps.objects,
        progress,
        file,
        workDir,
        signal: r.ctx.signal,
        maxLines: r.maxLinesPerFile,
        answer: r.answer,
      });
      progress = {
        ...progress,
        filesDone: progress.filesDone + 1,
        lines: progress.lines + done.lines,
        errors: progress.errors + done.errors,
      };
      await setJobState(deps.catalog, r.table, record.arn, deps.now(), 'CREATE IN_PROGRESS', { progress });
      deps.log({
        level: 'info',
        msg: 'batch file done',
        ...fields,
        file: `s3://${progress.inputBucket}/${file.key}`,
        output: `s3://${progress.outputBucket}/${file.outKey}`,
        lines: done.lines,
        errors: done.errors,
        durationMs: deps.now() - fileStarted,
      });
    }
  });
  const final = progress;
  await r.ctx.finish((tx) => setJobState(tx, r.table, record.arn, deps.now(), 'ACTIVE', { progress: final }));
  deps.log({
    level: 'info',
    msg: 'batch job done',
    ...fields,
    files: final.files.length,
    lines: final.lines,
    errors: final.errors,
    durationMs: deps.now() - started,
  });
}
