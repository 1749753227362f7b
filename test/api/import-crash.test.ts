// kill -9 in the middle of an import, then restart: the old data is intact, and the job is either
// finished by a re-run or CREATE FAILED with a reason saying it was interrupted — never stuck.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { uniqueName, waitFor } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { exportLines, importAndWait, localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';
import { killAllChildren, startChildService, type ChildService } from '../testkit/child-service.ts';

/** Rows of the import that is killed: enough that validating them takes a while, even on a quiet machine. */
const BIG_ROWS = 1_500_000;

/** A large interactions file written in big chunks: big enough that validating it takes a while. */
function writeLargeFile(path: string, rows: number): void {
  const fd = openSync(path, 'w');
  writeSync(fd, `${INTERACTIONS_HEADER_4}\n`);
  const chunk = 100_000;
  for (let start = 0; start < rows; start += chunk) {
    let text = '';
    for (let i = start; i < Math.min(rows, start + chunk); i++)
      text += `user${i % 50_000},item${(i * 7) % 80_000},${1_600_000_000 + i},view\n`;
    writeSync(fd, text);
  }
  closeSync(fd);
}

function clientFor(endpoint: string) {
  return new PersonalizeClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDCRASH', secretAccessKey: 's' },
    maxAttempts: 1,
  });
}

/** What the catalog says about the dataset's bulk data, read directly from the SQLite file. */
function committedParts(dataDir: string, datasetArn: string): string[] {
  const db = new Database(join(dataDir, 'catalog.sqlite'), { readonly: true });
  try {
    const row = db.prepare('SELECT body FROM resources WHERE arn = ?').get(datasetArn) as { body: string };
    return ((JSON.parse(row.body) as { bulk?: { parts: { key: string }[] } }).bulk?.parts ?? []).map((p) => p.key);
  } finally {
    db.close();
  }
}

async function crashMidImport(dataDir: string, env: Record<string, string>) {
  let svc: ChildService = await startChildService({ OPENPERSONALIZE_DATA_DIR: dataDir, ...env });
  const client = clientFor(svc.endpoint);
  const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
  const bucket = localBucket(dataDir);
  const old = interactionRows4(1500);
  await bucket.put('old.csv', csv(INTERACTIONS_HEADER_4, old));
  assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/old.csv`)).status, 'ACTIVE');
  const partsBefore = committedParts(dataDir, datasetArn);
  assert.equal(partsBefore.length, 1);

  mkdirSync(join(dataDir, 'buckets', bucket.name), { recursive: true });
  writeLargeFile(join(dataDir, 'buckets', bucket.name, 'big.csv'), BIG_ROWS);
  const { datasetImportJobArn } = await client.send(
    new CreateDatasetImportJobCommand({
      jobName: uniqueName('big'),
      datasetArn,
      dataSource: { dataLocation: `s3://${bucket.name}/big.csv` },
    }),
  );
  await waitFor(
    async () =>
      (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob?.status === 'CREATE IN_PROGRESS',
    20_000,
    'IN_PROGRESS',
    5,
  );
  await svc.kill9();
  // Before any restart: the catalog still points at the old generation, whose part is untouched.
  assert.deepEqual(committedParts(dataDir, datasetArn), partsBefore, 'the old data is what the catalog points to');
  svc = await startChildService({ OPENPERSONALIZE_DATA_DIR: dataDir, ...env });
  return { svc, client: clientFor(svc.endpoint), datasetArn, datasetImportJobArn: datasetImportJobArn!, bucket, old, partsBefore };
}

describe('crash in the middle of an import', () => {
  const dirs: string[] = [];
  const services: ChildService[] = [];
  after(async () => {
    for (const s of services) await s.stop().catch(() => {});
    // A test that failed half-way may have left a service it had not handed over yet.
    await killAllChildren();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('re-runs the interrupted job after a restart and ends ACTIVE with exactly the new data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openpersonalize-crash-'));
    dirs.push(dataDir);
    const r = await crashMidImport(dataDir, {});
    services.push(r.svc);
    const job = await waitFor(
      async () => {
        const j = (await r.client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: r.datasetImportJobArn })))
          .datasetImportJob!;
        return j.status === 'ACTIVE' || j.status === 'CREATE FAILED' ? j : undefined;
      },
      60_000,
      'the re-run to end',
    );
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    assert.match(r.svc.log(), /taking over jobs interrupted by a previous stop/);
    const lines = await exportLines(r.client, r.bucket, r.datasetArn);
    assert.equal(lines.length, 1 + BIG_ROWS, 'exactly the rows of the new file');
    assert.equal(lines[0], INTERACTIONS_HEADER_4);
  });

  it('fails the job with a reason saying it was interrupted when no attempt is left, keeping the old data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openpersonalize-crash-'));
    dirs.push(dataDir);
    const r = await crashMidImport(dataDir, { OPENPERSONALIZE_JOB_MAX_ATTEMPTS: '1' });
    services.push(r.svc);
    const job = await waitFor(
      async () => {
        const j = (await r.client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: r.datasetImportJobArn })))
          .datasetImportJob!;
        return j.status === 'ACTIVE' || j.status === 'CREATE FAILED' ? j : undefined;
      },
      30_000,
      'the job to end',
    );
    assert.equal(job.status, 'CREATE FAILED');
    assert.match(job.failureReason!, /interrupted/);
    assert.deepEqual(committedParts(dataDir, r.datasetArn), r.partsBefore);
    assert.deepEqual(await exportLines(r.client, r.bucket, r.datasetArn), [INTERACTIONS_HEADER_4, ...[...new Set(r.old)].sort()]);
  });
});
