// Scale-out benchmark: node --import tsx bench/scale-out-bench.ts [rowsPerFile=200000] [reps=1]
//
// On loopback: the machine's PostgreSQL (a database of its own, dropped at the end), moto_server
// for S3, one api process and 1 or 2 worker processes (each OPENPERSONALIZE_JOB_CONCURRENCY=2).
// 8 imports of rowsPerFile rows each (into 8 datasets, so none waits for another on its dataset)
// are created at once through the api; the clock runs from the first CreateDatasetImportJob to
// the last job ACTIVE. Prints jobs/s and rows/s for 1 worker and for 2 workers.
//
// What to expect: a worker's imports are CPU-bound (DuckDB parses and checks every row, with 2
// threads per job). On a 2-core machine one worker with 2 jobs at a time already fills both
// cores, so a second worker process adds scheduling, not capacity: expect about the same
// throughput, or a little less. On machines with their own cores (or several machines) the
// workers do not compete, and throughput grows about linearly with the number of worker cores
// until S3 bandwidth or PostgreSQL (a few statements per job: negligible) limits it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { startNode, type ChildService, type Role } from '../test/testkit/child-service.ts';
import { s3Bucket } from '../test/testkit/import-fixtures.ts';
import { activeDataset } from '../test/testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4 } from '../test/testkit/rows.ts';
import { startMotoServer } from '../test/testkit/moto-server.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../test/testkit/postgres-db.ts';
import { uniqueName } from '../test/testkit/service-harness.ts';
import { minimalSchemas } from '../test/testkit/schemas.ts';

const ROWS = Number(process.argv[2] ?? 200_000);
const REPS = Number(process.argv[3] ?? 1);
const IMPORTS = 8;

const rows = (file: number) =>
  Array.from({ length: ROWS }, (_, i) => `user${(i * 31 + file) % 100_000},item${(i * 7) % 50_000},${1_600_000_000 + i},click`);

async function main(): Promise<void> {
  const [moto, db] = await Promise.all([startMotoServer(), createDatabase()]);
  const dirs: string[] = [];
  const nodes: ChildService[] = [];
  try {
    const bucket = await s3Bucket(moto.s3Client());
    const env = {
      ...moto.env,
      OPENPERSONALIZE_DATABASE_URL: databaseUrl(db),
      OPENPERSONALIZE_OBJECT_STORE: 's3',
      OPENPERSONALIZE_S3_STORAGE_BUCKET: 'bench-storage',
      OPENPERSONALIZE_SECRET: 'bench',
      OPENPERSONALIZE_PROVISIONING_MS: '0',
      OPENPERSONALIZE_MAX_PENDING_IMPORTS: String(IMPORTS),
      OPENPERSONALIZE_JOB_CONCURRENCY: '2',
    };
    const start = async (role: Role) => {
      const dataDir = mkdtempSync(join(tmpdir(), `openpersonalize-bench-${role}-`));
      dirs.push(dataDir);
      const n = await startNode(role, { ...env, OPENPERSONALIZE_DATA_DIR: dataDir });
      nodes.push(n);
      return n;
    };
    for (let f = 0; f < IMPORTS; f++) await bucket.put(`in/${f}.csv`, csv(INTERACTIONS_HEADER_4, rows(f)));
    const api = await start('api');
    const client = new PersonalizeClient({
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 's' },
      maxAttempts: 1,
    });
    process.stdout.write(
      `scale-out bench: ${IMPORTS} concurrent imports of ${ROWS} rows each, ${cpus().length} cores, 2 jobs at a time per worker\n`,
    );

    for (let rep = 0; rep < REPS; rep++) {
      for (const workerCount of [1, 2]) {
        const workers = await Promise.all(Array.from({ length: workerCount }, () => start('worker')));
        const datasets = await Promise.all(
          Array.from({ length: IMPORTS }, () => activeDataset(client, minimalSchemas.interactions, 'Interactions')),
        );
        const t0 = performance.now();
        const arns = await Promise.all(
          datasets.map(
            async (d, f) =>
              (
                await client.send(
                  new CreateDatasetImportJobCommand({
                    jobName: uniqueName('bench'),
                    datasetArn: d.datasetArn,
                    dataSource: { dataLocation: `s3://${bucket.name}/in/${f}.csv` },
                  }),
                )
              ).datasetImportJobArn!,
          ),
        );
        const pending = new Set(arns);
        while (pending.size) {
          for (const arn of [...pending]) {
            const job = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: arn }))).datasetImportJob!;
            if (job.status === 'CREATE FAILED') throw new Error(`${arn} failed: ${job.failureReason}`);
            if (job.status === 'ACTIVE') pending.delete(arn);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        const seconds = (performance.now() - t0) / 1000;
        const perWorker = workers.map((w) => w.logLines().filter((l) => l.msg === 'job ended').length);
        process.stdout.write(
          `  ${workerCount} worker(s): ${seconds.toFixed(2)} s, ${(IMPORTS / seconds).toFixed(2)} jobs/s, ${Math.round((IMPORTS * ROWS) / seconds).toLocaleString('en-US')} rows/s (jobs per worker: ${perWorker.join(', ')})\n`,
        );
        // Peak resident memory of each worker process (Linux), for the README's sizing notes.
        const peaks = workers.map((w) => /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${w.process.pid}/status`, 'utf8'))?.[1]);
        process.stdout.write(`    worker peak RSS: ${peaks.map((kb) => `${Math.round(Number(kb) / 1024)} MB`).join(', ')}\n`);
        for (const w of workers) await w.stop();
      }
    }
    const apiPeak = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${api.process.pid}/status`, 'utf8'))?.[1];
    process.stdout.write(`  api node peak RSS: ${Math.round(Number(apiPeak) / 1024)} MB\n`);
  } finally {
    for (const n of nodes) await n.kill9().catch(() => {});
    await moto.stop();
    await dropDatabase(db);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

await main();
