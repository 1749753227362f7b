// `openpersonalize import FILE|s3://... --dataset-group G --type T`: a file into a dataset of a
// running service, through its public AWS API only (the client SDK, as any user would).
//
// Where a local FILE goes: the service reads s3:// locations from its object store, and the API
// has no upload call. So the CLI writes the file into that store itself, with the service's own
// object-store code configured by the same settings the service reads: OPENPERSONALIZE_OBJECT_STORE
// (--object-store) local -> <data dir>/buckets/<bucket>/<job>/<file> with OPENPERSONALIZE_DATA_DIR
// (--data-dir); s3 -> s3://<bucket>/<job>/<file> (--bucket required) with the S3 environment the
// service uses. CreateDatasetImportJob then checks the location exists: if the service does not
// see it, the data dir or store differ, and the error says which option to fix.
//
// Progress: DescribeDatasetImportJob carries no progress and the CLI adds nothing to the API, so
// the bar of the import phase is an estimate from elapsed time and file size at a nominal rate
// (labelled "est."); the counting and placing phases before it show real byte counts.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand } from '@aws-sdk/client-personalize';
import { openDataLocations } from '../../composition/stores.ts';
import { parseS3Url, type ObjectStore } from '../../object-store/object-store.ts';
import { IMPORT_JOB_STATUSES } from '../../resources/import-jobs/import-job-record.ts';
import { hasStatus, isFinal } from '../../resources/shared/status-table.ts';
import { CliError, loadSchemaFile, mb, parseCommandArgs, parseDatasetType, parseDomain, ProgressLine, type Io } from './cli-common.ts';
import { ensureTarget } from './cli-import-resources.ts';
import { personalizeClient, serviceTarget, unreachable } from './cli-service.ts';
import { inferSchema } from './infer-schema.ts';

export const IMPORT_HELP = `Usage: openpersonalize import FILE|s3://BUCKET/KEY --dataset-group NAME --type TYPE [options]

Imports a CSV file into a running openpersonalize service: creates the schema, dataset group and
dataset when they are missing, places a local FILE where the service reads it, runs the import
job, and ends with its outcome (on failure: the reason and the offending lines of FILE).

Options:
  --dataset-group NAME   the dataset group (created if missing)                       required
  --type TYPE            Interactions, Items, Users, Actions or Action_Interactions   required
  --schema FILE          schema of the dataset, when it has to be created
  --infer-schema         propose a schema from FILE's header and data, print it and use it
  --domain DOMAIN        ECOMMERCE or VIDEO_ON_DEMAND, for a new domain dataset group
  --incremental          an INCREMENTAL import (adds to the data) instead of FULL (replaces it)
  --job-name NAME        default cli-<file>-<time>
  --endpoint URL         the service, default $OPENPERSONALIZE_ENDPOINT or http://127.0.0.1:4580
  --region R             default $AWS_REGION, $AWS_DEFAULT_REGION or us-east-1
  --object-store local|s3  the service's store, default $OPENPERSONALIZE_OBJECT_STORE or local
  --data-dir DIR         with local: the service's data dir, default $OPENPERSONALIZE_DATA_DIR
                         or ./openpersonalize-data (FILE is copied to DIR/buckets/BUCKET/...)
  --bucket B             where FILE is placed; default openpersonalize-imports (local), required with s3
  --json                 print one JSON object with the outcome instead of text (no progress line)

The placed copy of a local FILE is deleted once the job has ended.

Credentials: the AWS SDK's usual chain when AWS_ACCESS_KEY_ID or AWS_PROFILE is set, else test/test
(accepted by a service without OPENPERSONALIZE_CREDENTIALS). Exit status: 0 ACTIVE, 1 failed, 2 usage.
`;

const OPTIONS = {
  'dataset-group': { type: 'string' },
  type: { type: 'string' },
  schema: { type: 'string' },
  'infer-schema': { type: 'boolean' },
  domain: { type: 'string' },
  incremental: { type: 'boolean' },
  'job-name': { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'object-store': { type: 'string' },
  'data-dir': { type: 'string' },
  bucket: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Nominal import throughput for the estimated bar: about what a job measured end to end (queue,
 *  staging, validation, Parquet) on a busy 2-core machine; faster machines finish early. */
const NOMINAL_BYTES_PER_S = 20e6;
const POLL_MS = 200;
const SHOWN_LINES = 5;

/** Data rows of a file (lines after the header), read at disk speed, with a progress line. */
async function countRows(path: string, size: number, progress: ProgressLine): Promise<number> {
  const fh = await open(path, 'r');
  const buf = Buffer.alloc(4 << 20);
  let lines = 0;
  let last = 0x0a;
  const started = Date.now();
  try {
    for (let pos = 0; ;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      for (let i = buf.indexOf(0x0a, 0); i >= 0 && i < bytesRead; i = buf.indexOf(0x0a, i + 1)) lines++;
      last = buf[bytesRead - 1];
      pos += bytesRead;
      const s = (Date.now() - started) / 1000;
      progress.update('counting', pos / size, {
        bytes: pos,
        rate: s > 0 ? pos / s : undefined,
        etaSeconds: s > 0 ? ((size - pos) * s) / pos : undefined,
      });
    }
  } finally {
    await fh.close();
    progress.done();
  }
  if (last !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}

/** The physical lines `wanted` of a file (header = 1), without a trailing CR. */
export async function readLines(path: string, wanted: number[]): Promise<Map<number, string>> {
  const want = new Set(wanted);
  const max = Math.max(0, ...wanted);
  const out = new Map<number, string>();
  const buf = Buffer.alloc(1 << 20);
  let line = 1;
  let parts: Buffer[] = [];
  const endLine = () => {
    if (want.has(line)) out.set(line, Buffer.concat(parts).toString('utf8').replace(/\r$/, ''));
    parts = [];
    line++;
  };
  const fh = await open(path, 'r');
  try {
    for (let pos = 0; line <= max;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) {
        if (parts.length > 0) endLine(); // a last line without a newline
        break;
      }
      const chunk = buf.subarray(0, bytesRead);
      for (let from = 0; line <= max;) {
        const nl = chunk.indexOf(0x0a, from);
        if (want.has(line)) parts.push(Buffer.from(chunk.subarray(from, nl < 0 ? bytesRead : nl)));
        if (nl < 0) break;
        endLine();
        from = nl + 1;
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return out;
}

const cut = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

export async function importCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseCommandArgs(args, OPTIONS, 'import');
  if (v.help) {
    io.out(IMPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError('import takes exactly one FILE or s3:// location (see openpersonalize import --help)');
  if (!v['dataset-group']) throw new CliError('import needs --dataset-group NAME');
  const type = parseDatasetType(v.type);
  if (!type) throw new CliError('import needs --type (Interactions, Items, Users, Actions or Action_Interactions)');
  const domain = parseDomain(v.domain);
  if (v.schema && v['infer-schema']) throw new CliError('give either --schema or --infer-schema, not both');
  const source = positionals[0];
  const remote = /^(s3|https?):\/\//.test(source);
  if (remote && v['infer-schema']) throw new CliError('--infer-schema reads a local FILE; for an s3:// location give --schema');
  let size = 0;
  if (!remote) {
    let st;
    try {
      st = statSync(source);
    } catch (e) {
      throw new CliError(`cannot read ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!st.isFile()) throw new CliError(`${source} is not a regular file`);
    size = st.size;
  }
  const storeKind = v['object-store'] ?? io.env.OPENPERSONALIZE_OBJECT_STORE ?? 'local';
  if (storeKind !== 'local' && storeKind !== 's3') throw new CliError(`--object-store ${storeKind} must be local or s3`);
  const dataDir = v['data-dir'] ?? io.env.OPENPERSONALIZE_DATA_DIR ?? './openpersonalize-data';
  const bucket = v.bucket ?? (storeKind === 'local' ? 'openpersonalize-imports' : undefined);
  if (!remote && !bucket) throw new CliError('with --object-store s3, give --bucket B: the bucket the local FILE is uploaded to');
  if (!remote && storeKind === 'local' && !existsSync(dataDir)) {
    throw new CliError(
      `the data dir ${dataDir} does not exist: pass --data-dir with the service's OPENPERSONALIZE_DATA_DIR (or --object-store s3 --bucket B)`,
    );
  }
  const { endpoint, region } = serviceTarget(v, io);
  const log = (s: string) => io.err(`${s}\n`);
  // With --json the outcome is one object on stdout and nothing draws on the terminal.
  const progress = new ProgressLine(v.json ? { ...io, tty: false } : io);
  const objects = openDataLocations(storeKind, dataDir, io.env);

  // Read the schema before touching the service: a bad file fails fast with nothing created.
  const given = v.schema ? (await loadSchemaFile(v.schema, type, domain)).json : undefined;
  const personalize = personalizeClient(io, { endpoint, region });
  const target = await ensureTarget(personalize, {
    group: v['dataset-group'],
    type,
    domain,
    log,
    schemaJson:
      given !== undefined
        ? async () => given
        : v['infer-schema']
          ? async () => {
              const inferred = await inferSchema(source, type, domain);
              io.out(`inferred schema:\n${inferred.json}\n`);
              if (inferred.skipped.length > 0)
                log(`columns not in the schema (names Avro cannot hold; the import ignores them): ${inferred.skipped.join(', ')}`);
              return inferred.json;
            }
          : undefined,
  }).catch((e: unknown) => {
    throw unreachable(e, endpoint);
  });
  if (target.created.length === 0 && (given || v['infer-schema'])) {
    log(`the ${type} dataset of ${v['dataset-group']} exists: its own schema applies, not the one given`);
  }

  const jobName =
    v['job-name'] ??
    `cli-${basename(source)
      .replace(/[^a-zA-Z0-9_-]/g, '-')
      .slice(0, 30)}-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  let location = source;
  let rows: number | undefined;
  let placed: { bucket: string; key: string } | undefined;
  if (remote) size = await remoteSize(objects, source);
  else {
    rows = await countRows(source, size, progress);
    const key = `${jobName}/${basename(source)}`;
    location = `s3://${bucket}/${key}`;
    if (storeKind === 'local') mkdirSync(join(dataDir, 'buckets', bucket!), { recursive: true });
    progress.update(`placing ${location}`, null, { bytes: size }, true);
    await objects.putFile(bucket!, key, source).finally(() => progress.done());
    placed = { bucket: bucket!, key };
  }
  try {
    return await runJob();
  } finally {
    // The copy was only for the job to read; the job has ended (or never started).
    if (placed)
      await objects
        .delete(placed.bucket, [placed.key])
        .catch((e: Error) => log(`could not delete the placed copy ${location}: ${e.message}`));
  }

  async function runJob(): Promise<number> {
    const started = Date.now();
    const { datasetImportJobArn } = await personalize
      .send(
        new CreateDatasetImportJobCommand({
          jobName,
          datasetArn: target.datasetArn,
          dataSource: { dataLocation: location },
          importMode: v.incremental ? 'INCREMENTAL' : 'FULL',
        }),
      )
      .catch((e: Error) => {
        if (!remote && / does not exist/.test(e.message)) {
          throw new Error(
            `the service cannot see ${location}: ${e.message} Its data dir or object store differs: pass --data-dir, or --object-store s3 --bucket B`,
          );
        }
        throw new Error(`CreateDatasetImportJob: ${e.name}: ${e.message}`);
      });
    log(`import job ${datasetImportJobArn} started`);
    let job;
    for (;;) {
      job = (await personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
      if (isFinal(IMPORT_JOB_STATUSES, job.status)) break;
      const s = (Date.now() - started) / 1000;
      const expected = size / NOMINAL_BYTES_PER_S;
      progress.update('importing (est.)', size > 0 ? Math.min(0.99, s / Math.max(expected, 1)) : null, {
        rows,
        bytes: size || undefined,
        etaSeconds: size > 0 && s < expected ? expected - s : undefined,
      });
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    progress.done();
    const seconds = (Date.now() - started) / 1000;
    const outcome = {
      status: job.status,
      jobName,
      datasetImportJobArn,
      datasetArn: target.datasetArn,
      location,
      rows,
      bytes: size || undefined,
      seconds,
    };
    if (v.json) {
      const ok = hasStatus(IMPORT_JOB_STATUSES, job, 'ACTIVE');
      const reason = job.failureReason;
      const numbers = !ok && !remote && reason ? lineNumbers(reason) : [];
      const lines = numbers.length > 0 ? await readLines(source, numbers) : new Map<number, string>();
      const offendingLines = numbers.map((n) => ({ line: n, text: lines.get(n) ?? null }));
      io.out(`${JSON.stringify(ok ? outcome : { ...outcome, failureReason: reason ?? 'no reason given', offendingLines })}\n`);
      return ok ? 0 : 1;
    }
    if (hasStatus(IMPORT_JOB_STATUSES, job, 'ACTIVE')) {
      const what =
        rows === undefined ? location : `${rows.toLocaleString('en-US')} rows (${mb(size)}, ${mb(size / Math.max(seconds, 0.001))}/s)`;
      io.out(`ACTIVE: imported ${what} into ${target.datasetArn} in ${seconds.toFixed(1)}s (job ${jobName})\n`);
      return 0;
    }
    const reason = job.failureReason ?? 'no reason given';
    io.out(`${job.status}: ${reason}\n`);
    if (!remote) {
      // The reason names the placed copy; its line numbers are the local file's.
      const numbers = lineNumbers(reason);
      if (numbers.length > 0) {
        const lines = await readLines(source, numbers);
        io.out(`offending lines of ${source}:\n`);
        const w = String(Math.max(...numbers)).length;
        for (const n of numbers) io.out(`${String(n).padStart(w)} | ${lines.has(n) ? cut(lines.get(n)!) : '(end of file)'}\n`);
      }
    }
    return 1;
  }
}

/** The line numbers a failureReason names (the first SHOWN_LINES). */
function lineNumbers(reason: string): number[] {
  return [...new Set([...reason.matchAll(/\bline (\d+)\b/g)].map((m) => Number(m[1])))].slice(0, SHOWN_LINES);
}

/** Bytes at an s3:// location (an object, or the first level of a folder) as this CLI's store sees it; 0 when it cannot tell (no bar then). */
async function remoteSize(objects: ObjectStore, location: string): Promise<number> {
  const at = parseS3Url(location);
  if (!at) return 0;
  try {
    if (at.key !== '' && !at.key.endsWith('/')) return (await objects.head(at.bucket, at.key))?.size ?? 0;
    return (await objects.list(at.bucket, at.key, { recursive: false })).reduce((n, o) => n + (o.size ?? 0), 0);
  } catch {
    return 0;
  }
}
