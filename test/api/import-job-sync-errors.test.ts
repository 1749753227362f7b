// Every synchronous error of CreateDatasetImportJob (issue 3; rules.md §6.1, §6.4) through the AWS
// SDK for JavaScript against the running service with the local object store: the error name, HTTP
// 400, the key words of the message, and that the refused call created no job.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  DescribeDatasetImportJobCommand,
  DescribeDatasetCommand,
  ListDatasetImportJobsCommand,
  ListTagsForResourceCommand,
  type CreateDatasetImportJobRequest,
  type DatasetImportJobSummary,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset, activeGroup, DATASET_KINDS, datasetIn, fiveDatasets } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';
import { testClock } from '../testkit/test-clock.ts';

const OTHER_ACCOUNT = '111122223333';

type SdkError = Awaited<ReturnType<typeof errorOf>>;

async function allJobs(client: PersonalizeClient): Promise<DatasetImportJobSummary[]> {
  const out: DatasetImportJobSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListDatasetImportJobsCommand({ maxResults: 100, nextToken }));
    out.push(...(page.datasetImportJobs ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/**
 * Sends the request, which must be refused with `name`, HTTP 400 and a message matching `message`
 * (a string must be the whole message); then checks that no account seen by `listedBy` has a job
 * of that name (`existing` jobs of that name, made before, may stay).
 */
async function refused(
  client: PersonalizeClient,
  input: CreateDatasetImportJobRequest,
  name: string,
  message: string | RegExp | RegExp[],
  o: { listedBy?: PersonalizeClient[]; existing?: number } = {},
): Promise<SdkError> {
  const e = await errorOf(() => client.send(new CreateDatasetImportJobCommand(input)));
  assert.equal(e.name, name, `${e.name}: ${e.message}`);
  assert.equal(e.$metadata?.httpStatusCode, 400, e.message);
  if (typeof message === 'string') assert.equal(e.message, message);
  else for (const m of [message].flat()) assert.match(e.message, m);
  for (const c of o.listedBy ?? [client]) {
    const named = (await allJobs(c)).filter((j) => j.jobName === input.jobName);
    assert.equal(
      named.length,
      c === client ? (o.existing ?? 0) : 0,
      `jobs named ${input.jobName} after the refused call: ${JSON.stringify(named)}`,
    );
  }
  return e;
}

/** A service whose job runner is stopped: every import stays CREATE PENDING. */
async function serviceWithoutRunner(env: Record<string, string> = {}): Promise<TestService> {
  const svc = await startTestService(env);
  await svc.runner.stop();
  return svc;
}

const create = (client: PersonalizeClient, datasetArn: string, dataLocation: string, jobName = uniqueName('imp')) =>
  client.send(new CreateDatasetImportJobCommand({ jobName, datasetArn, dataSource: { dataLocation } }));

const statusOf = async (client: PersonalizeClient, datasetImportJobArn: string | undefined) =>
  (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!.status;

describe('CreateDatasetImportJob: synchronous errors', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let other: PersonalizeClient;
  let bucket: Bucket;
  /** ACTIVE Interactions dataset that never had an import. */
  let fresh: string;
  /** A file that fits the Interactions schema. */
  let good: string;
  // A service whose datasets take 3 s to become ACTIVE, on a clock that moves only when told.
  const clock = testClock();
  let slow: TestService;

  before(async () => {
    slow = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '3000' }, { now: clock.now });
    svc = await startTestService();
    client = svc.client();
    other = svc.client({ accessKeyId: OTHER_ACCOUNT });
    bucket = localBucket(svc.dataDir);
    await bucket.put('good.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000)));
    good = `s3://${bucket.name}/good.csv`;
    fresh = (await activeDataset(client, minimalSchemas.interactions, 'Interactions')).datasetArn;
  });
  after(async () => {
    await svc.close();
    await slow.close();
  });

  it('ResourceNotFoundException: a dataset that does not exist, or that is in another account', async () => {
    const missing = 'arn:aws:personalize:us-east-1:000000000000:dataset/no-such-dataset';
    await refused(
      client,
      { jobName: uniqueName('nf'), datasetArn: missing, dataSource: { dataLocation: good } },
      'ResourceNotFoundException',
      [/Could not find/, /dataset/, /no-such-dataset/],
    );
    // The ARN of another kind of resource is no dataset.
    const { datasetGroupArn } = await activeDataset(client, minimalSchemas.items, 'Items');
    await refused(
      client,
      { jobName: uniqueName('nf'), datasetArn: datasetGroupArn, dataSource: { dataLocation: good } },
      'ResourceNotFoundException',
      [/Could not find/, new RegExp(datasetGroupArn)],
    );
    // `fresh` belongs to account 000000000000; the other account must not see it.
    await refused(
      other,
      { jobName: uniqueName('nf'), datasetArn: fresh, dataSource: { dataLocation: good } },
      'ResourceNotFoundException',
      [/Could not find/, new RegExp(fresh)],
      { listedBy: [other, client] },
    );
  });

  it('ResourceAlreadyExistsException: a job name already used, even by a finished job', async () => {
    const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    const jobName = uniqueName('taken');
    const { datasetImportJobArn } = await create(client, datasetArn, good, jobName);
    await waitFor(async () => (await statusOf(client, datasetImportJobArn)) === 'ACTIVE', 30_000, 'first job ACTIVE');
    await refused(
      client,
      { jobName, datasetArn, dataSource: { dataLocation: good } },
      'ResourceAlreadyExistsException',
      [/already exists/, new RegExp(`dataset-import-job/${jobName}`)],
      { existing: 1 },
    );
    // The name is taken account-wide, whatever the dataset.
    await refused(
      client,
      { jobName, datasetArn: fresh, dataSource: { dataLocation: good } },
      'ResourceAlreadyExistsException',
      /already exists/,
      { existing: 1 },
    );
    const [job] = (await allJobs(client)).filter((j) => j.jobName === jobName);
    assert.equal(job.datasetImportJobArn, datasetImportJobArn);
    assert.equal(job.status, 'ACTIVE', 'the finished job is untouched');
    // Names are per account: another account may use it.
    const theirs = await activeDataset(other, minimalSchemas.interactions, 'Interactions');
    const { datasetImportJobArn: theirJob } = await create(other, theirs.datasetArn, good, jobName);
    assert.equal(theirJob, `arn:aws:personalize:us-east-1:${OTHER_ACCOUNT}:dataset-import-job/${jobName}`);
    await waitFor(async () => (await statusOf(other, theirJob)) === 'ACTIVE', 30_000, 'other account job ACTIVE');
  });

  it('InvalidInputException: INCREMENTAL into a dataset that never had a bulk import', async () => {
    await refused(
      client,
      { jobName: uniqueName('inc'), datasetArn: fresh, dataSource: { dataLocation: good }, importMode: 'INCREMENTAL' },
      'InvalidInputException',
      [/INCREMENTAL/, /successful bulk import/, /must be FULL/],
    );
    // A FULL import that failed is no bulk import either.
    const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    await bucket.put('few.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(10)));
    const { datasetImportJobArn } = await create(client, datasetArn, `s3://${bucket.name}/few.csv`);
    await waitFor(async () => (await statusOf(client, datasetImportJobArn)) === 'CREATE FAILED', 30_000, 'FULL import to fail');
    await refused(
      client,
      { jobName: uniqueName('inc'), datasetArn, dataSource: { dataLocation: good }, importMode: 'INCREMENTAL' },
      'InvalidInputException',
      [/INCREMENTAL/, /must be FULL/],
    );
  });

  it('InvalidInputException: a missing object, a missing bucket, an empty folder', async () => {
    const req = (dataLocation: string) => ({ jobName: uniqueName('loc'), datasetArn: fresh, dataSource: { dataLocation } });
    await refused(client, req(`s3://${bucket.name}/no-such-file.csv`), 'InvalidInputException', [
      /^Invalid Data location\./,
      new RegExp(`s3://${bucket.name}/no-such-file.csv does not exist`),
    ]);
    await refused(client, req('s3://no-such-bucket-openpersonalize/data.csv'), 'InvalidInputException', [
      /^Invalid Data location\./,
      /bucket .*does not exist/,
    ]);
    mkdirSync(join(svc.dataDir, 'buckets', bucket.name, 'empty'), { recursive: true });
    await refused(client, req(`s3://${bucket.name}/empty/`), 'InvalidInputException', [
      /^Invalid Data location\./,
      /folder .*empty\/ holds no objects/,
    ]);
    // Keys and buckets that would leave the bucket's folder of the local store are never read.
    await bucket.put('secret.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000)));
    await refused(client, req(`s3://${bucket.name}/sub/../secret.csv`), 'InvalidInputException', [
      /^Insufficient privileges for accessing data in S3/,
      new RegExp(`fix bucket policy on ${bucket.name}\\.$`),
    ]);
    await refused(client, req(`s3://../buckets/${bucket.name}/secret.csv`), 'InvalidInputException', [
      /^Invalid Data location\./,
      /bucket .*does not exist/,
    ]);
    // A folder named without its trailing '/' is an object that does not exist; the message says how to name a folder.
    await refused(client, req(`s3://${bucket.name}/empty`), 'InvalidInputException', [
      /^Invalid Data location\./,
      /does not exist/,
      /end the location with '\/'/,
    ]);
    // Sub-folders are not imported (rule 50), so a folder with only a sub-folder is empty too.
    await bucket.put('nested/sub/data.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000)));
    await refused(client, req(`s3://${bucket.name}/nested/`), 'InvalidInputException', [/^Invalid Data location\./, /holds no objects/]);
  });

  it('InvalidInputException: a malformed location, an http(s) location, a dataSource without dataLocation', async () => {
    const req = (dataSource: { dataLocation?: string }) => ({ jobName: uniqueName('loc'), datasetArn: fresh, dataSource });
    // Passes the model's pattern (s3://.+) but names no bucket.
    await refused(client, req({ dataLocation: 's3:///data.csv' }), 'InvalidInputException', [
      /^Invalid Data location\./,
      /Expected s3:\/\/bucket\/key/,
    ]);
    // No host may be read without an allow-list, so the service never fetches arbitrary URLs.
    await refused(client, req({ dataLocation: 'http://127.0.0.1:9/data.csv' }), 'InvalidInputException', [
      /^Invalid Data location\./,
      /OPENPERSONALIZE_HTTP_ALLOW_HOSTS/,
      /127\.0\.0\.1:9 is not/,
    ]);
    await refused(client, req({ dataLocation: 'https://example.com/data.csv' }), 'InvalidInputException', [
      /^Invalid Data location\./,
      /OPENPERSONALIZE_HTTP_ALLOW_HOSTS/,
      /example\.com is not/,
    ]);
    await refused(client, req({}), 'InvalidInputException', [/^Invalid Data location\./, /dataLocation is required/]);
  });

  it('InvalidInputException: a header missing schema columns, in AWS wording', async () => {
    const req = (key: string) => ({
      jobName: uniqueName('hdr'),
      datasetArn: fresh,
      dataSource: { dataLocation: `s3://${bucket.name}/${key}` },
    });
    await bucket.put('no-type.csv', csv('USER_ID,ITEM_ID,TIMESTAMP', ['u1,i1,1700000000']));
    await refused(client, req('no-type.csv'), 'InvalidInputException', 'Input csv is missing the following columns: [EVENT_TYPE]');
    await bucket.put('two-missing.csv', csv('TIMESTAMP,USER_ID', ['1700000000,u1']));
    await refused(
      client,
      req('two-missing.csv'),
      'InvalidInputException',
      'Input csv is missing the following columns: [ITEM_ID, EVENT_TYPE]',
    );
    // A folder: the first file (in key order) is the one checked.
    await bucket.put('hdr-folder/a.csv', csv('USER_ID,ITEM_ID,EVENT_TYPE', ['u1,i1,click']));
    await bucket.put('hdr-folder/b.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000)));
    await refused(client, req('hdr-folder/'), 'InvalidInputException', 'Input csv is missing the following columns: [TIMESTAMP]');
  });

  it('TooManyTagsException: 51 tags (50 are fine)', async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ tagKey: `k${i}`, tagValue: `v${i}` }));
    const jobName = uniqueName('tags');
    await refused(client, { jobName, datasetArn: fresh, dataSource: { dataLocation: good }, tags: tags(51) }, 'TooManyTagsException', [
      /51 tags/,
      /50 tags per resource/,
    ]);
    const wouldBe = `arn:aws:personalize:us-east-1:000000000000:dataset-import-job/${jobName}`;
    assert.equal(
      (await errorOf(() => client.send(new ListTagsForResourceCommand({ resourceArn: wouldBe })))).name,
      'ResourceNotFoundException',
      'no tags are stored either',
    );
    const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    const { datasetImportJobArn } = await client.send(
      new CreateDatasetImportJobCommand({ jobName: uniqueName('tags'), datasetArn, dataSource: { dataLocation: good }, tags: tags(50) }),
    );
    assert.equal((await client.send(new ListTagsForResourceCommand({ resourceArn: datasetImportJobArn }))).tags?.length, 50);
    await waitFor(async () => (await statusOf(client, datasetImportJobArn)) === 'ACTIVE', 30_000, 'tagged job ACTIVE');
  });

  it('ValidationException from the model: a bad jobName, an unknown importMode, a missing dataSource', async () => {
    const base = { datasetArn: fresh, dataSource: { dataLocation: good } };
    await refused(client, { ...base, jobName: '-starts-with-a-dash' }, 'ValidationException', [/jobName/, /regular expression pattern/]);
    await refused(client, { ...base, jobName: 'has spaces' }, 'ValidationException', [/jobName/, /regular expression pattern/]);
    await refused(client, { ...base, jobName: 'x'.repeat(64) }, 'ValidationException', [/jobName/, /length less than or equal to 63/]);
    await refused(client, { ...base, jobName: uniqueName('mode'), importMode: 'PARTIAL' as 'FULL' }, 'ValidationException', [
      /'PARTIAL'/,
      /importMode/,
      /enum value set: \[FULL, INCREMENTAL\]/,
    ]);
    await refused(client, { jobName: uniqueName('nods'), datasetArn: fresh } as CreateDatasetImportJobRequest, 'ValidationException', [
      /dataSource/,
      /must not be null/,
    ]);
    // 's3://' alone does not match the model's pattern (s3|http|https)://.+ : refused before the service reads it.
    await refused(client, { ...base, jobName: uniqueName('s3'), dataSource: { dataLocation: 's3://' } }, 'ValidationException', [
      /dataLocation/,
      /regular expression pattern/,
    ]);
  });

  it('a dataset still being created takes an import (rules.md 65a): the job runs and the dataset becomes ACTIVE with its data', async () => {
    const s = slow;
    const c = s.client();
    const { datasetGroupArn: group } = await c.send(new CreateDatasetGroupCommand({ name: uniqueName('slow') }));
    clock.advance(3000); // the group is ACTIVE; the dataset made next stays CREATE PENDING
    const b = localBucket(s.dataDir);
    await b.put('i.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000)));
    const datasetArn = await datasetIn(c, group!, DATASET_KINDS[0].schema, DATASET_KINDS[0].type, { wait: false });
    const { datasetImportJobArn } = await c.send(
      new CreateDatasetImportJobCommand({ jobName: uniqueName('early'), datasetArn, dataSource: { dataLocation: `s3://${b.name}/i.csv` } }),
    );
    await waitFor(
      async () => (await c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob?.status === 'ACTIVE',
      20_000,
      'the early import ACTIVE',
    );
    assert.equal((await c.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status, 'CREATE PENDING');
    clock.advance(3000);
    assert.equal((await c.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status, 'ACTIVE');
    // The data is the dataset's: an INCREMENTAL import (which needs earlier bulk data) is now taken.
    await c.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('more'),
        datasetArn,
        importMode: 'INCREMENTAL',
        dataSource: { dataLocation: `s3://${b.name}/i.csv` },
      }),
    );
  });
});

describe('CreateDatasetImportJob: refused while other imports are pending (job runner stopped)', () => {
  let svc: TestService;
  let max2: TestService;
  let race: TestService;
  before(async () => {
    [svc, max2, race] = await Promise.all([
      serviceWithoutRunner(),
      serviceWithoutRunner({ OPENPERSONALIZE_MAX_PENDING_IMPORTS: '2' }),
      serviceWithoutRunner({ OPENPERSONALIZE_MAX_PENDING_IMPORTS: '2' }),
    ]);
  });
  after(async () => {
    await svc.close();
    await max2.close();
    await race.close();
  });

  it('ResourceInUseException on a second import into the same dataset; LimitExceededException on a 6th pending import; per account', async () => {
    const client = svc.client();
    const bucket = localBucket(svc.dataDir);
    const [five, [sixth]] = await Promise.all([
      fiveDatasets(client, bucket),
      activeGroup(client).then(async (g) => [
        {
          arn: await datasetIn(client, g, DATASET_KINDS[0].schema, DATASET_KINDS[0].type),
          location: `s3://${bucket.name}/${DATASET_KINDS[0].type}.csv`,
        },
      ]),
    ]);

    const first = await create(client, five[0].arn, five[0].location);
    assert.equal(await statusOf(client, first.datasetImportJobArn), 'CREATE PENDING');
    await refused(
      client,
      { jobName: uniqueName('again'), datasetArn: five[0].arn, dataSource: { dataLocation: five[0].location } },
      'ResourceInUseException',
      [/Another dataset import job/, new RegExp(five[0].arn), /pending or in progress/],
    );

    for (const d of five.slice(1)) await create(client, d.arn, d.location);
    const pending = await allJobs(client);
    assert.equal(pending.length, 5);
    assert.ok(
      pending.every((j) => j.status === 'CREATE PENDING'),
      JSON.stringify(pending.map((j) => j.status)),
    );
    await refused(
      client,
      { jobName: uniqueName('sixth'), datasetArn: sixth.arn, dataSource: { dataLocation: sixth.location } },
      'LimitExceededException',
      'More than 5 resources with PENDING or IN_PROGRESS status.',
    );
    assert.equal((await allJobs(client)).length, 5);

    // The quota is per account: another account still has all five.
    const otherClient = svc.client({ accessKeyId: OTHER_ACCOUNT });
    const mine = await activeDataset(otherClient, minimalSchemas.interactions, 'Interactions');
    const created = await create(otherClient, mine.datasetArn, five[0].location);
    assert.match(created.datasetImportJobArn!, new RegExp(`:${OTHER_ACCOUNT}:dataset-import-job/`));
    assert.equal(await statusOf(otherClient, created.datasetImportJobArn), 'CREATE PENDING');
    assert.equal((await allJobs(client)).length, 5, 'the first account still has its five');
  });

  it('concurrent creates: one import per dataset, and never more pending imports than the quota', async () => {
    const client = race.client();
    const bucket = localBucket(race.dataDir);
    const [a, b, c] = await fiveDatasets(client, bucket);
    const outcome = async (p: Promise<unknown>) =>
      p.then(
        () => 'created',
        (e: Error) => e.name,
      );
    // Two at once into the same dataset: one wins, the other is told the dataset is busy.
    const same = await Promise.all([outcome(create(client, a.arn, a.location)), outcome(create(client, a.arn, a.location))]);
    assert.deepEqual(same.sort(), ['ResourceInUseException', 'created']);
    // Quota 2, one pending: two at once into two other datasets, one wins.
    const quota = await Promise.all([outcome(create(client, b.arn, b.location)), outcome(create(client, c.arn, c.location))]);
    assert.deepEqual(quota.sort(), ['LimitExceededException', 'created']);
    assert.equal((await allJobs(client)).length, 2);
  });

  it('OPENPERSONALIZE_MAX_PENDING_IMPORTS=2 refuses the 3rd pending import', async () => {
    const client = max2.client();
    const [a, b, c] = await fiveDatasets(client, localBucket(max2.dataDir));
    await create(client, a.arn, a.location);
    await create(client, b.arn, b.location);
    await refused(
      client,
      { jobName: uniqueName('third'), datasetArn: c.arn, dataSource: { dataLocation: c.location } },
      'LimitExceededException',
      'More than 2 resources with PENDING or IN_PROGRESS status.',
    );
    assert.deepEqual(
      (await allJobs(client)).map((j) => j.status),
      ['CREATE PENDING', 'CREATE PENDING'],
    );
  });
});
