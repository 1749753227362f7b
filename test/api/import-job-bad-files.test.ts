// The bad-file corpus through the AWS SDK for JavaScript against the running service (local
// object store): each file fails its import job (or, for a missing column, the create call) with a
// failureReason that names the file, the line and column, the offending value and the rule, and how
// many rows are bad; a failed job leaves the dataset's data as it was. Plus one good file with
// every tricky encoding detail, which must import and read back decoded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDatasetImportJobCommand, ListDatasetImportJobsCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { exportLines, importAndWait, localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';
import {
  assertReason,
  badFile,
  GOOD_FILES,
  MISSING_COLUMN_FILE,
  MISSING_COLUMN_MESSAGE,
  TRICKY_ITEMS,
  type Expect,
} from '../testkit/bad-file-corpus.ts';

/** One CSV line decoded by the rules the importer documents: RFC 4180 quoting, and \" \\ inside quotes. */
function decodeLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) cell += line[++i];
      else if (ch === '"' && line[i + 1] === '"') cell += line[++i];
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  return [...cells, cell];
}

describe('import jobs: the bad-file corpus through the API', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let bucket: Bucket;
  let interactions: string;
  let items: string;
  const goodRows = interactionRows4(1200);
  /** The jobs that `fails` saw fail, by dataset. */
  const failedJobs: { jobName: string; datasetArn: string }[] = [];

  before(async () => {
    svc = await startTestService();
    client = svc.client();
    bucket = localBucket(svc.dataDir);
    [interactions, items] = await Promise.all([
      activeDataset(client, minimalSchemas.interactions, 'Interactions').then((d) => d.datasetArn),
      activeDataset(client, minimalSchemas.items, 'Items').then((d) => d.datasetArn),
    ]);
    await bucket.put('good.csv', csv(INTERACTIONS_HEADER_4, goodRows));
    const first = await importAndWait(client, interactions, `s3://${bucket.name}/good.csv`);
    assert.equal(first.status, 'ACTIVE', first.failureReason);
  });
  after(() => svc.close());

  /**
   * Puts the file at `key` (unless body is null: already there), imports `location` (default: that
   * file) into `datasetArn` and checks the job fails as expected, naming s3://bucket/key; returns the reason.
   */
  async function fails(
    key: string,
    body: string | Buffer | null,
    e: Expect,
    datasetArn = interactions,
    location = `s3://${bucket.name}/${key}`,
  ): Promise<string> {
    if (body !== null) await bucket.put(key, body);
    const job = await importAndWait(client, datasetArn, location);
    assert.equal(job.status, 'CREATE FAILED', `the job must fail: ${key}`);
    const reason = job.failureReason ?? '';
    failedJobs.push({ jobName: job.jobName!, datasetArn });
    assertReason(reason, `s3://${bucket.name}/${key}`, e);
    return reason;
  }

  /** A case of the shared corpus (test/testkit/bad-file-corpus.ts): its files put, then `fails`. */
  async function failsCase(id: string): Promise<void> {
    const c = badFile(id);
    for (const [key, body] of c.files) await bucket.put(key, body);
    await fails(
      c.failing,
      null,
      c.expect((k) => `s3://${bucket.name}/${k}`),
      c.dataset === 'items' ? items : interactions,
      `s3://${bucket.name}/${c.location}`,
    );
  }

  it('missing column: refused at creation in AWS wording; in the second file of a folder, the job names the file', async () => {
    await bucket.put('missing.csv', MISSING_COLUMN_FILE);
    const jobName = uniqueName('missing');
    const e = await errorOf(() =>
      client.send(
        new CreateDatasetImportJobCommand({
          jobName,
          datasetArn: interactions,
          dataSource: { dataLocation: `s3://${bucket.name}/missing.csv` },
        }),
      ),
    );
    assert.equal(e.name, 'InvalidInputException');
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.equal(e.message, MISSING_COLUMN_MESSAGE);
    const listed = await client.send(new ListDatasetImportJobsCommand({ datasetArn: interactions }));
    assert.equal(
      listed.datasetImportJobs?.some((j) => j.jobName === jobName),
      false,
      'no job is created',
    );
    // Only the first file's header is checked at creation; the job checks the others (the reason
    // starts with AWS's wording: the case's `also`).
    await failsCase('missing-folder');
  });

  // Each case's further assertions (a second bad line, a value cut short, ...) are its `also` and
  // `absent` in the corpus, checked by `fails`.
  it('bad number: a decimal and an out-of-range value in a long column', () => failsCase('bad-number'));

  it('bad timestamp: a word and an ISO date', () => failsCase('bad-ts'));

  it('empty required values: USER_ID, EVENT_TYPE, TIMESTAMP', () => failsCase('empty-values'));

  it('too-long ID: 257 characters fail, 256 pass; the value is cut short', () => failsCase('long-id'));

  it('too many event types: 11 distinct types where EVENT_TYPE leaves room for 9', () => failsCase('event-types'));

  it('fewer than 1,000 rows', () => failsCase('few-rows'));

  it('broken quoting: a quote never closed', () => failsCase('quote'));

  it('invalid UTF-8 bytes in a value', () => failsCase('utf8'));

  it('binary garbage: a whole file of random bytes, and random bytes after a valid header', async () => {
    await failsCase('garbage');
    await failsCase('garbage-rows');
  });

  it('empty file, and a file with only a header', async () => {
    await failsCase('empty-file');
    await failsCase('header-only');
  });

  it('a folder of two files with different headers names the second file', () => failsCase('two-headers'));

  it('a NUL character in a value', () => failsCase('nul-character'));

  it('a reserved keyword as a value (and a header line pasted into the data)', () => failsCase('reserved-keyword'));

  it('a good tricky file (BOM, CRLF, quoted commas, "" and \\" escapes) imports, and a too-long categorical value fails after it', async () => {
    await bucket.put('tricky.csv', TRICKY_ITEMS);
    const ok = await importAndWait(client, items, `s3://${bucket.name}/tricky.csv`);
    assert.equal(ok.status, 'ACTIVE', ok.failureReason);
    const expected = [
      ['ITEM_ID', 'GENRES'],
      ['i1', 'Drama, Comedy'],
      ['i2', 'He said "hi"'],
      ['i3', 'back"slash" and \\ backslash'],
      ['i4', 'Horror|Thriller'],
      ['i5', ''],
      ['é6', '日本語, ok'],
    ];
    const exported = await exportLines(client, bucket, items);
    assert.deepEqual(exported.map(decodeLine), expected, exported.join('\n'));

    await failsCase('long-categorical');
    await failsCase('items-empty-id');
    assert.deepEqual(await exportLines(client, bucket, items), exported, 'the Items data is unchanged');
  });

  for (const g of GOOD_FILES) {
    it(`good: ${g.id} imports ACTIVE, and an export shows what is stored`, async () => {
      const { datasetArn } = await activeDataset(client, g.schema.avro, g.datasetType);
      for (const [key, body] of g.files) await bucket.put(key, body);
      const job = await importAndWait(client, datasetArn, `s3://${bucket.name}/${g.location}`);
      assert.equal(job.status, 'ACTIVE', job.failureReason);
      assert.deepEqual(await exportLines(client, bucket, datasetArn), g.exported);
    });
  }

  it('every failed job left the Interactions data as the first import made it', async () => {
    const jobs =
      (await client.send(new ListDatasetImportJobsCommand({ datasetArn: interactions, maxResults: 100 }))).datasetImportJobs ?? [];
    assert.equal(jobs.filter((j) => j.status === 'ACTIVE').length, 1, 'only the first import succeeded');
    const failed = jobs.filter((j) => j.status === 'CREATE FAILED');
    assert.deepEqual(
      failed.map((j) => j.jobName).sort(),
      failedJobs
        .filter((j) => j.datasetArn === interactions)
        .map((j) => j.jobName)
        .sort(),
    );
    assert.equal(failed.length, 16);
    assert.ok(
      failed.every((j) => (j.failureReason ?? '').length > 0),
      'List shows each failureReason',
    );
    assert.deepEqual(await exportLines(client, bucket, interactions), [INTERACTIONS_HEADER_4, ...[...new Set(goodRows)].sort()]);
  });
});
