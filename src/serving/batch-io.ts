// Reading a batch job's input and writing its output (training-rules.md rules 110, 111, 115):
//  * the input path is an S3 prefix ("Amazon S3 is prefix based"): `s3://b/folderName` reads every
//    object whose key starts with `folderName` (`folderName_test/x.json` too), `s3://b/folder/` the
//    objects under the folder, `s3://b/file.json` that object (and any other that starts with its
//    name). Keys ending in `/` (folder markers) are skipped. At most 1,000 files and 1 GB;
//  * each input file gives `<output path><input file name>.out`, the name being the key after the
//    input path's last `/` (so `s3://b/in/` with `in/x.json` gives `x.json.out`, and a prefix that
//    reaches into sub-folders keeps them: `in/sub/y.json` gives `sub/y.json.out`) [INF]. An output
//    path without a trailing `/` is a folder all the same, as for export jobs;
//  * problems are AWS's failureReason texts, `Invalid S3 input path` / `Invalid S3 output path`,
//    each followed by what exactly is wrong (as import jobs do with `Invalid Data location.`);
//  * a file is read as a stream of lines and each output line written at once to a file in the
//    job's work folder; only when the file is complete is it written to its output key, with the
//    store's atomic write (local store: a temporary name renamed into place; S3: a multipart
//    upload, visible only once completed). So no `.out` is ever seen half written, whatever
//    happens to the worker. Memory stays bounded by the longest line, whatever the file's size.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { JobFailure } from '../jobs/job-failure.ts';
import { ObjectStoreError, parseS3Url, type ObjectStore } from '../object-store/object-store.ts';
import type { BatchFile, BatchProgress } from '../resources/batch-jobs/batch-job-record.ts';

export const MAX_INPUT_FILES = 1000;
export const MAX_INPUT_BYTES = 1024 ** 3;
/** A longer line fails the job: its reading would no longer be bounded [INF]. */
export const MAX_LINE_BYTES = 1024 * 1024;

const INPUT = 'Invalid S3 input path.';
const OUTPUT = 'Invalid S3 output path.';

function storeProblem(e: unknown, prefix: string, path: string): never {
  if (e instanceof ObjectStoreError) {
    if (e.reason === 'no-bucket') throw new JobFailure(`${prefix} The bucket of ${path} does not exist.`);
    if (e.reason === 'access-denied') throw new JobFailure(`${prefix} ${path} cannot be accessed: ${e.message}`);
    if (e.reason === 'no-object') throw new JobFailure(`${prefix} ${path} no longer exists.`);
  }
  throw e;
}

const sameLocation = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** The files a job reads and writes, from its input and output paths (see the header); JobFailure when they cannot be used. */
export async function planBatchFiles(objects: ObjectStore, inputPath: string, outputPath: string): Promise<BatchProgress> {
  const input = parseS3Url(inputPath);
  if (!input?.bucket) throw new JobFailure(`${INPUT} Expected s3://bucket/prefix, got ${inputPath}.`);
  const output = parseS3Url(outputPath);
  if (!output?.bucket) throw new JobFailure(`${OUTPUT} Expected s3://bucket/prefix, got ${outputPath}.`);
  if (sameLocation(inputPath, outputPath)) throw new JobFailure(`${OUTPUT} The output path must differ from the input path ${inputPath}.`);
  const listed = await objects.list(input.bucket, input.key, { recursive: true }).catch((e: unknown) => storeProblem(e, INPUT, inputPath));
  const found = listed.filter((o) => !o.key.endsWith('/'));
  if (found.length === 0) throw new JobFailure(`${INPUT} No object matches ${inputPath}.`);
  if (found.length > MAX_INPUT_FILES)
    throw new JobFailure(
      `The input path ${inputPath} matches ${found.length} files; a batch job reads at most ${MAX_INPUT_FILES.toLocaleString('en-US')}.`,
    );
  const bytes = found.reduce((n, o) => n + o.size, 0);
  if (bytes > MAX_INPUT_BYTES)
    throw new JobFailure(`The input data under ${inputPath} is ${bytes.toLocaleString('en-US')} bytes; a batch job reads at most 1 GB.`);
  // The bucket must exist; the key need not (head of a missing key answers undefined).
  await objects.head(output.bucket, '.openpersonalize-probe').catch((e: unknown) => storeProblem(e, OUTPUT, outputPath));
  const folder = input.key.slice(0, input.key.lastIndexOf('/') + 1);
  const outPrefix = output.key === '' || output.key.endsWith('/') ? output.key : `${output.key}/`;
  const files: BatchFile[] = found.map((o) => ({ key: o.key, size: o.size, outKey: `${outPrefix}${o.key.slice(folder.length)}.out` }));
  return { inputBucket: input.bucket, outputBucket: output.bucket, files, filesDone: 0, lines: 0, errors: 0 };
}

/** The lines of a stream (`\n` or `\r\n`), without their ends; the last one even without an end. */
export async function* linesOf(stream: Readable, what: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let start = 0;
    let at: number;
    while ((at = rest.indexOf('\n', start)) >= 0) {
      const line = rest.slice(start, at);
      start = at + 1;
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
    }
    rest = rest.slice(start);
    if (rest.length > MAX_LINE_BYTES)
      throw new JobFailure(`${what} has a line longer than 1 MB; input lines must be JSON objects of one line each.`);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** What a job does with one non-empty input line: the output line, and whether it reports an error. */
export type LineAnswer = (line: string) => Promise<{ text: string; error: boolean }>;

export interface FileRun {
  objects: ObjectStore;
  progress: BatchProgress;
  file: BatchFile;
  workDir: string;
  signal: AbortSignal;
  /** The most lines a file may have (rule 110: 50 million; 100 with themes). */
  maxLines: number;
  answer: LineAnswer;
}

/** How long the work runs before it lets timers (the lease's heartbeat) and requests in. */
const SLICE_MS = 20;

/** Answers every line of one input file and puts the complete `.out` in place (see the header). */
export async function runBatchFile(r: FileRun): Promise<{ lines: number; errors: number }> {
  const where = `s3://${r.progress.inputBucket}/${r.file.key}`;
  const staged = join(r.workDir, `out-${r.progress.filesDone}`);
  const out = createWriteStream(staged);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let lines = 0;
  let errors = 0;
  let slice = performance.now();
  try {
    const stream = await r.objects.read(r.progress.inputBucket, r.file.key).catch((e: unknown) => storeProblem(e, INPUT, where));
    for await (const line of linesOf(stream, where)) {
      if (line.trim() === '') continue;
      if (++lines > r.maxLines)
        throw new JobFailure(
          `${where} has more than ${r.maxLines.toLocaleString('en-US')} input lines, the most a batch job reads per file.`,
        );
      const answered = await r.answer(line);
      if (answered.error) errors++;
      if (!out.write(`${answered.text}\n`)) await Promise.race([once(out, 'drain'), failed]);
      if (performance.now() - slice > SLICE_MS) {
        await yieldToEventLoop();
        r.signal.throwIfAborted();
        slice = performance.now();
      }
    }
    await Promise.race([new Promise<void>((done) => out.end(done)), failed]);
  } catch (e) {
    out.destroy();
    throw e;
  }
  r.signal.throwIfAborted();
  await r.objects
    .putFile(r.progress.outputBucket, r.file.outKey, staged)
    .catch((e: unknown) => storeProblem(e, OUTPUT, `s3://${r.progress.outputBucket}/${r.file.outKey}`));
  await rm(staged, { force: true });
  return { lines, errors };
}
