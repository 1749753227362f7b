// Batch inference speed and memory (issue 12, "Batch jobs": 1 M input lines finish in minutes,
// streaming with bounded memory). One service in this process (manual jobs, run by draining):
// interactions of `users` users over `items` items (bench/serving/setup.ts's data), an
// aws-user-personalization version, then a batch inference job over LINES input lines
// (`{"userId": ...}` cycling over the users, every tenth line with a filter value) split into
// FILES files, numResults 25, the default exploration, an Items-dataset filter with per-line values.
// Prints lines/s and the process's RSS peak (sampled every 100 ms) against its RSS before the job.
//   node --import tsx bench/batch-bench.ts [lines=1000000] [users=20000] [items=5000] [files=4]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBatchInferenceJobCommand, DescribeBatchInferenceJobCommand } from '@aws-sdk/client-personalize';
import { activeFilter, ROLE_ARN } from '../test/testkit/batch-fixtures.ts';
import { localBucket } from '../test/testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../test/testkit/resources.ts';
import { minimalSchemas } from '../test/testkit/schemas.ts';
import { activeSolution, importFile, importRows, trainedVersion } from '../test/testkit/serving-fixtures.ts';
import { startTestService } from '../test/testkit/service-harness.ts';
import { writeInteractions } from './serving/setup.ts';

const [LINES = 1_000_000, USERS = 20_000, ITEMS = 5_000, FILES = 4] = process.argv.slice(2, 6).map(Number);

const svc = await startTestService({}, { manualJobs: true });
try {
  const client = svc.client();
  const bucket = localBucket(svc.dataDir, 'bench');
  const scratch = mkdtempSync(join(tmpdir(), 'batch-bench-'));
  const rows = writeInteractions(join(scratch, 'interactions.csv'), USERS, ITEMS, 14);
  const group = await activeGroup(client);
  const interactions = await datasetIn(client, group, minimalSchemas.interactions, 'Interactions');
  const items = await datasetIn(client, group, minimalSchemas.items, 'Items');
  await importFile(svc, client, bucket, interactions, readFileSync(join(scratch, 'interactions.csv'), 'utf8'));
  await importRows(
    svc,
    client,
    bucket,
    items,
    'ITEM_ID,GENRES',
    Array.from({ length: ITEMS }, (_, i) => `i${i},g${i % 7}`),
  );
  rmSync(scratch, { recursive: true, force: true });
  let t = performance.now();
  const version = await trainedVersion(svc, client, await activeSolution(client, group, 'aws-user-personalization'));
  console.log(`${rows} interactions, ${USERS} users, ${ITEMS} items; trained in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const filterArn = await activeFilter(client, group, 'EXCLUDE ItemID WHERE Items.GENRES IN ($G)');
  const perFile = Math.ceil(LINES / FILES);
  let written = 0;
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let k = 0; k < perFile && written < LINES; k++, written++)
      lines.push(
        written % 10 === 0 ? `{"userId": "u${written % USERS}", "filterValues": {"G": "\\"g3\\""}}` : `{"userId": "u${written % USERS}"}`,
      );
    await bucket.put(`in/part-${f}.json`, lines.join('\n') + '\n');
  }
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  t = performance.now();
  const { batchInferenceJobArn } = await client.send(
    new CreateBatchInferenceJobCommand({
      jobName: 'bench',
      roleArn: ROLE_ARN,
      solutionVersionArn: version,
      filterArn,
      jobInput: { s3DataSource: { path: `s3://bench/in/` } },
      jobOutput: { s3DataDestination: { path: `s3://bench/out/` } },
    }),
  );
  await svc.runner.drain();
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  const job = (await client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn }))).batchInferenceJob!;
  if (job.status !== 'ACTIVE') throw new Error(`the job ended ${job.status}: ${job.failureReason}`);
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `${LINES} lines in ${FILES} files: ${seconds.toFixed(1)} s, ${Math.round(LINES / seconds)} lines/s; RSS ${mb(before)} before, peak ${mb(peak)}`,
  );
} finally {
  await svc.close();
}
