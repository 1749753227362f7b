// npm run bench (BENCH_ROWS=n to change the size), or node --import tsx bench/import-bench.ts
// [rows [reps]]: our whole import, from CreateDatasetImportJob to ACTIVE through the AWS SDK
// against a real service process, against a reference measured in the same run: DuckDB alone
// reading the same file with the column types given (no sniffing) into Parquet. Two files
// (bench/synthetic-data.ts): interactions with EVENT_VALUE (`rows` rows, default 5 M, ~176 MB) and
// Items with a categorical and a quoted textual column (about as many bytes). Reference and import
// alternate `reps` times (default 3); the best runs (the least disturbed on a shared machine) and
// the medians are compared. Also: how soon a 2,000-row import is ACTIVE. Figures are ratios to the
// reference so that they mean the same on a slower or busier machine;
// `node --import tsx bench/ingest-bench.ts` times the engine alone.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { rows as queryRows, withDuck } from '../src/data/engine/duck.ts';
import { startChildService } from '../test/testkit/child-service.ts';
import { avroSchema, BENCH_DATASETS, itemRowsFor, referenceCopySql } from './synthetic-data.ts';

const ROWS = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 5_000_000);
const REPS = Number(process.argv[3] ?? 3);

const peakKb = (pid: number | 'self') => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function untilActive(describe: () => Promise<string | undefined>, pollMs: number): Promise<void> {
  for (;;) {
    const status = await describe();
    if (status === 'ACTIVE') return;
    if (status?.includes('FAILED')) throw new Error(`the resource ended ${status}`);
    await sleep(pollMs);
  }
}

async function importJob(client: PersonalizeClient, datasetArn: string, location: string, name: string, pollMs: number): Promise<number> {
  const t0 = performance.now();
  const { datasetImportJobArn } = await client.send(
    new CreateDatasetImportJobCommand({ jobName: name, datasetArn, dataSource: { dataLocation: location } }),
  );
  await untilActive(async () => {
    const job = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
    if (job.status === 'CREATE FAILED') throw new Error(job.failureReason);
    return job.status;
  }, pollMs);
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), 'openpersonalize-bench-'));
const bucketDir = join(dir, 'data', 'buckets', 'bench');
mkdirSync(bucketDir, { recursive: true });
const work = join(dir, 'work');
mkdirSync(work);
const svc = await startChildService({ OPENPERSONALIZE_DATA_DIR: join(dir, 'data'), OPENPERSONALIZE_PROVISIONING_MS: '0' });
try {
  const client = new PersonalizeClient({
    endpoint: svc.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: 'bench' }));
  await untilActive(async () => (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status, 10);

  const lines: string[] = [];
  let interactionsArn = '';
  for (const d of BENCH_DATASETS) {
    const n = d.name === 'items' ? itemRowsFor(ROWS) : ROWS;
    const file = join(bucketDir, `${d.name}.csv`);
    let t = performance.now();
    d.generate(file, n);
    const mb = statSync(file).size / 2 ** 20;
    console.log(
      `\n${d.name}: ${n.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const { schemaArn } = await client.send(new CreateSchemaCommand({ name: `bench-${d.name}`, schema: avroSchema(d.schema) }));
    const { datasetArn } = await client.send(
      new CreateDatasetCommand({ name: `bench-${d.name}`, schemaArn, datasetGroupArn, datasetType: d.datasetType }),
    );
    await untilActive(async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status, 10);
    if (d.datasetType === 'Interactions') interactionsArn = datasetArn!;

    const a: number[] = [];
    const b: number[] = [];
    for (let rep = 1; rep <= REPS; rep++) {
      // (a) the reference: DuckDB alone, types given, same memory limit and threads as a job.
      t = performance.now();
      await withDuck({ workDir: work, memoryLimit: '1GB', threads: 2 }, (c) =>
        queryRows(c, referenceCopySql(file, d, join(dir, 'reference.parquet'))),
      );
      a.push(performance.now() - t);
      // (b) our import (a FULL import each time), through the AWS API, in the service process.
      b.push(await importJob(client, datasetArn!, `s3://bench/${d.name}.csv`, `bench-${d.name}-${rep}`, 50));
      console.log(`  rep ${rep}: (a) ${(a[rep - 1] / 1000).toFixed(2)} s, (b) ${(b[rep - 1] / 1000).toFixed(2)} s`);
    }
    rmSync(file);
    const rate = (ms: number) => `${(((n / ms) * 1000) / 1e6).toFixed(2)} M rows/s, ${((mb / ms) * 1000).toFixed(0)} MB/s`;
    const fig = (xs: number[]) =>
      `${(Math.min(...xs) / 1000).toFixed(2)} s (${(median(xs) / 1000).toFixed(2)} s)  ${rate(Math.min(...xs))}`;
    lines.push(
      `${d.name} (${n.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB), best (median) of ${REPS}:`,
      `  (a) DuckDB alone, types given, CSV -> Parquet: ${fig(a)}`,
      `  (b) CreateDatasetImportJob -> ACTIVE:          ${fig(b)}`,
      `  ratio b/a = ${(Math.min(...b) / Math.min(...a)).toFixed(2)} (${(median(b) / median(a)).toFixed(2)}); per rep: ${a.map((x, i) => (b[i] / x).toFixed(2)).join(' ')}`,
    );
  }
  const servicePeakMb = peakKb(svc.process.pid!) / 1024;

  // (c) a 2,000-row import: how soon after its creation it is ACTIVE (polling every 5 ms).
  const small = [
    'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE',
    ...Array.from({ length: 2000 }, (_, i) => `u${i % 100},i${i % 300},${1_700_000_000 + i},click,${i % 5}`),
  ].join('\n');
  writeFileSync(join(bucketDir, 'small.csv'), `${small}\n`);
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) latencies.push(await importJob(client, interactionsArn, 's3://bench/small.csv', `bench-small-${i}`, 5));
  latencies.sort((x, y) => x - y);

  console.log(`\n${lines.join('\n')}`);
  console.log(`service peak RSS ${servicePeakMb.toFixed(0)} MB (target < 1536 MB: ${servicePeakMb < 1536 ? 'met' : 'NOT met'})`);
  console.log(
    `2,000-row import, creation -> ACTIVE: median ${latencies[2].toFixed(0)} ms, max ${latencies[4].toFixed(0)} ms (target <= 500 ms)`,
  );
  console.log(`machine: ${cpus().length} cores`);
} finally {
  await svc.stop();
  rmSync(dir, { recursive: true, force: true });
}
