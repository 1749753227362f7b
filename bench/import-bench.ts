// npm run bench [-- rows]: our whole import, from CreateDatasetImportJob to ACTIVE through the
// AWS SDK against a real service process, against a reference measured in the same run: DuckDB
// alone reading the same file into Parquet. Also: how soon a 2,000-row import is ACTIVE.
// Figures are ratios to the reference so that they mean the same on a slower or busier machine.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { generateInteractions, INTERACTIONS_HEADER } from './synthetic-data.ts';

const ROWS = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 10_000_000);
const SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ],
});

const peakKb = (pid: number | 'self') => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilActive(client: PersonalizeClient, describe: () => Promise<string | undefined>, pollMs: number): Promise<void> {
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
  await untilActive(
    client,
    async () => {
      const job = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
      if (job.status === 'CREATE FAILED') throw new Error(job.failureReason);
      return job.status;
    },
    pollMs,
  );
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), 'openpersonalize-bench-'));
const bucketDir = join(dir, 'data', 'buckets', 'bench');
mkdirSync(bucketDir, { recursive: true });
const work = join(dir, 'work');
mkdirSync(work);
try {
  const file = join(bucketDir, 'interactions.csv');
  let t = performance.now();
  generateInteractions(file, ROWS);
  const mb = statSync(file).size / 2 ** 20;
  console.log(
    `generated ${ROWS.toLocaleString('en-US')} interactions, ${mb.toFixed(0)} MB, in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // (a) the reference: DuckDB alone, same memory limit and threads as an import job.
  t = performance.now();
  await withDuck({ workDir: work, memoryLimit: '1GB', threads: 2 }, (c) =>
    queryRows(c, `COPY (SELECT * FROM read_csv('${file}')) TO '${join(dir, 'reference.parquet')}' (FORMAT parquet)`),
  );
  const a = performance.now() - t;

  // (b) our import, through the AWS API, in a service process of its own.
  const svc = await startChildService({ OPENPERSONALIZE_DATA_DIR: join(dir, 'data'), OPENPERSONALIZE_PROVISIONING_MS: '0' });
  try {
    const client = new PersonalizeClient({
      endpoint: svc.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const { schemaArn } = await client.send(new CreateSchemaCommand({ name: 'bench', schema: SCHEMA }));
    const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: 'bench' }));
    await untilActive(
      client,
      async () => (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status,
      10,
    );
    const { datasetArn } = await client.send(
      new CreateDatasetCommand({ name: 'bench', schemaArn, datasetGroupArn, datasetType: 'Interactions' }),
    );
    await untilActive(client, async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status, 10);

    const b = await importJob(client, datasetArn!, 's3://bench/interactions.csv', 'bench-full', 50);
    const servicePeakMb = peakKb(svc.process.pid!) / 1024;

    // (c) a 2,000-row import: how soon after its creation it is ACTIVE (polling every 5 ms).
    const small = [
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE',
      ...Array.from({ length: 2000 }, (_, i) => `u${i % 100},i${i % 300},${1_700_000_000 + i},click`),
    ].join('\n');
    writeFileSync(join(bucketDir, 'small.csv'), `${small}\n`);
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) latencies.push(await importJob(client, datasetArn!, 's3://bench/small.csv', `bench-small-${i}`, 5));
    latencies.sort((x, y) => x - y);

    const rate = (ms: number) => `${(((ROWS / ms) * 1000) / 1e6).toFixed(2)} M rows/s, ${((mb / ms) * 1000).toFixed(0)} MB/s`;
    console.log(
      `\n(a) DuckDB alone, CSV -> Parquet:        ${(a / 1000).toFixed(2)} s  ${rate(a)}  (bench process peak RSS ${(peakKb('self') / 1024).toFixed(0)} MB)`,
    );
    console.log(
      `(b) CreateDatasetImportJob -> ACTIVE:    ${(b / 1000).toFixed(2)} s  ${rate(b)}  service peak RSS ${servicePeakMb.toFixed(0)} MB`,
    );
    console.log(
      `    ratio b/a = ${(b / a).toFixed(2)}  (target <= 1.5; peak RSS target < 1536 MB: ${servicePeakMb < 1536 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `(c) 2,000-row import, creation -> ACTIVE: median ${latencies[2].toFixed(0)} ms, max ${latencies[4].toFixed(0)} ms (target <= 500 ms)`,
    );
    console.log(`    header: ${INTERACTIONS_HEADER}; machine: ${(await import('node:os')).cpus().length} cores`);
  } finally {
    await svc.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
