// Data deletion jobs (rules.md §9) through the AWS SDKs: each operation and its errors, the
// pending-jobs limit with the job runner stopped, and a deletion that removes the listed users
// from bulk data and individually put records of every dataset of the group, and nothing else
// (every dataset exported before and after and compared row by row).
import assert from 'node:assert/strict';
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDataDeletionJobCommand,
  DeleteDatasetGroupCommand,
  DescribeDatasetGroupCommand,
  DescribeDataDeletionJobCommand,
  DescribeDatasetCommand,
  ListDataDeletionJobsCommand,
  ListTagsForResourceCommand,
  type CreateDataDeletionJobRequest,
  type DataDeletionJob,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PutActionInteractionsCommand, PutEventsCommand, PutUsersCommand } from '@aws-sdk/client-personalize-events';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas, typedFieldSchemas } from '../testkit/schemas.ts';
import { exportLines, importAndWait, localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset, activeGroup, datasetIn } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';

const ROLE = 'arn:aws:iam::000000000000:role/deletion';

function createJob(
  client: PersonalizeClient,
  datasetGroupArn: string,
  dataLocation: string,
  extra: Partial<CreateDataDeletionJobRequest> = {},
) {
  return client.send(
    new CreateDataDeletionJobCommand({
      jobName: uniqueName('del'),
      datasetGroupArn,
      dataSource: { dataLocation },
      roleArn: ROLE,
      ...extra,
    }),
  );
}

const describeJob = async (client: PersonalizeClient, dataDeletionJobArn: string | undefined) =>
  (await client.send(new DescribeDataDeletionJobCommand({ dataDeletionJobArn }))).dataDeletionJob!;

function jobEnd(client: PersonalizeClient, arn: string | undefined): Promise<DataDeletionJob> {
  return waitFor(
    async () => {
      const job = await describeJob(client, arn);
      return job.status === 'COMPLETED' || job.status === 'FAILED' ? job : undefined;
    },
    30_000,
    'data deletion job to end',
  );
}

async function refused(p: Promise<unknown>, name: string, message: RegExp): Promise<void> {
  const e = await errorOf(() => p);
  assert.equal(e.name, name, `${e.name}: ${e.message}`);
  assert.equal(e.$metadata?.httpStatusCode, 400);
  assert.match(e.message, message);
}

describe('data deletion jobs', () => {
  let svc: TestService;
  let stopped: TestService;
  let client: PersonalizeClient;
  let bucket: Bucket;
  before(async () => {
    [svc, stopped] = await Promise.all([startTestService(), startTestService()]);
    await stopped.runner.stop(); // its jobs stay PENDING
    client = svc.client();
    bucket = localBucket(svc.dataDir);
  });
  after(() => Promise.all([svc.close(), stopped.close()]));

  it('CreateDataDeletionJob refuses what it can check at once', async () => {
    const { datasetGroupArn } = await activeDataset(client, minimalSchemas.users, 'Users');
    await bucket.put('errors/ok.csv', csv('USER_ID', ['u1']));
    await bucket.put('errors/bad-header.csv', csv('USER_ID,AGE', ['u1,3']));
    await bucket.put('errors/only-txt/readme.txt', 'USER_ID\nu1\n');
    const at = (key: string) => `s3://${bucket.name}/${key}`;
    const missingGroup = datasetGroupArn.replace(/dataset-group\/.*/, 'dataset-group/no-such-group');
    await refused(createJob(client, missingGroup, at('errors/ok.csv')), 'ResourceNotFoundException', /no-such-group/);
    await refused(
      createJob(client, datasetGroupArn, at('errors/missing.csv')),
      'InvalidInputException',
      /^Invalid Data location\..*does not exist/,
    );
    await refused(
      createJob(client, datasetGroupArn, `s3://${bucket.name}-nope/x.csv`),
      'InvalidInputException',
      /^Invalid Data location\..*bucket/,
    );
    await refused(
      createJob(client, datasetGroupArn, at('errors/bad-header.csv')),
      'InvalidInputException',
      /bad-header\.csv line 1: .*exactly one column named USER_ID.*'USER_ID,AGE'/,
    );
    await refused(createJob(client, datasetGroupArn, at('errors/only-txt/')), 'InvalidInputException', /holds no \.csv objects/);
    // 100 MB + 1 byte (a sparse file: nothing is written, the size alone is refused).
    await bucket.put('errors/huge.csv', 'USER_ID\n');
    truncateSync(join(svc.dataDir, 'buckets', bucket.name, 'errors/huge.csv'), 100 * 1024 * 1024 + 1);
    await refused(createJob(client, datasetGroupArn, at('errors/huge.csv')), 'InvalidInputException', /at most 104857600 bytes/);
    const noRole = await errorOf(() => createJob(client, datasetGroupArn, at('errors/ok.csv'), { roleArn: undefined }));
    assert.equal(noRole.name, 'ValidationException', noRole.message);

    const jobName = uniqueName('tagged');
    const { dataDeletionJobArn } = await createJob(client, datasetGroupArn, at('errors/ok.csv'), {
      jobName,
      tags: [{ tagKey: 'team', tagValue: 'privacy' }],
    });
    assert.equal(dataDeletionJobArn, `arn:aws:personalize:us-east-1:000000000000:data-deletion-job/${jobName}`);
    await refused(
      createJob(client, datasetGroupArn, at('errors/ok.csv'), { jobName }),
      'ResourceAlreadyExistsException',
      new RegExp(jobName),
    );
    assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: dataDeletionJobArn }))).tags, [
      { tagKey: 'team', tagValue: 'privacy' },
    ]);
    const done = await jobEnd(client, dataDeletionJobArn);
    assert.equal(done.status, 'COMPLETED', done.failureReason);
    assert.equal(done.numDeleted, 0, 'the group has no data, so nobody was found');
    await refused(
      client.send(new DescribeDataDeletionJobCommand({ dataDeletionJobArn: `${dataDeletionJobArn}-nope` })),
      'ResourceNotFoundException',
      /data deletion job/,
    );
  });

  it('allows 5 unfinished jobs per dataset group; Describe and List show them PENDING, newest first', async () => {
    const c = stopped.client();
    const local = localBucket(stopped.dataDir);
    await local.put('list.csv', csv('USER_ID', ['u1']));
    const location = `s3://${local.name}/list.csv`;
    const [{ datasetGroupArn }, { datasetGroupArn: other }] = await Promise.all([
      activeDataset(c, minimalSchemas.users, 'Users'),
      activeDataset(c, minimalSchemas.users, 'Users'),
    ]);
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) arns.push((await createJob(c, datasetGroupArn, location)).dataDeletionJobArn!);
    await refused(createJob(c, datasetGroupArn, location), 'LimitExceededException', /More than 5 data deletion jobs/);
    const otherJob = (await createJob(c, other, location)).dataDeletionJobArn!;

    const first = await describeJob(c, arns[0]);
    assert.equal(first.status, 'PENDING');
    assert.equal(first.datasetGroupArn, datasetGroupArn);
    assert.deepEqual(first.dataSource, { dataLocation: location });
    assert.equal(first.roleArn, ROLE);
    assert.equal(first.numDeleted, undefined);
    assert.ok(first.creationDateTime instanceof Date && first.lastUpdatedDateTime instanceof Date);

    const listed = (await c.send(new ListDataDeletionJobsCommand({ datasetGroupArn }))).dataDeletionJobs!;
    assert.deepEqual(
      listed.map((j) => j.dataDeletionJobArn),
      [...arns].reverse(),
    );
    assert.ok(listed.every((j) => j.status === 'PENDING' && j.datasetGroupArn === datasetGroupArn && j.jobName && j.creationDateTime));
    const page1 = await c.send(new ListDataDeletionJobsCommand({ maxResults: 4 }));
    const page2 = await c.send(new ListDataDeletionJobsCommand({ maxResults: 4, nextToken: page1.nextToken }));
    assert.deepEqual(
      [...page1.dataDeletionJobs!, ...page2.dataDeletionJobs!].map((j) => j.dataDeletionJobArn),
      [otherJob, ...[...arns].reverse()],
    );
    assert.equal(page2.nextToken, undefined);
  });

  it('a dataset group waits for its unfinished data deletion jobs before it can be deleted', async () => {
    const c = stopped.client();
    const local = localBucket(stopped.dataDir);
    await local.put('wait.csv', csv('USER_ID', ['u1']));
    const datasetGroupArn = await activeGroup(c);
    await createJob(c, datasetGroupArn, `s3://${local.name}/wait.csv`);
    const e = await errorOf(() => c.send(new DeleteDatasetGroupCommand({ datasetGroupArn })));
    assert.equal(e.name, 'ResourceInUseException');
    assert.match(e.message, /data deletion jobs/);
    assert.equal((await c.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status, 'ACTIVE');
  });

  it('removes the users from every dataset, bulk and individual, and nothing else', async () => {
    const events = eventsClient(svc);
    const { datasetArn: interactions, datasetGroupArn: group } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    const users = await datasetIn(client, group, minimalSchemas.users, 'Users');
    const items = await datasetIn(client, group, minimalSchemas.items, 'Items');
    const actionInteractions = await datasetIn(client, group, typedFieldSchemas.actionInteractions, 'Action_Interactions');
    const actionTrackingId = (await client.send(new DescribeDatasetCommand({ datasetArn: actionInteractions }))).dataset!.trackingId!;
    const { trackingId } = await activeTracker(client, group);
    const at = (key: string) => `s3://${bucket.name}/${key}`;
    await bucket.put('all/interactions.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1200)));
    await bucket.put(
      'all/users.csv',
      csv(
        'USER_ID,AGE',
        Array.from({ length: 97 }, (_, i) => `u${i},${20 + i}`),
      ),
    );
    await bucket.put('all/items.csv', csv('ITEM_ID,GENRES', ['i1,Drama', 'i2,Comedy']));
    await bucket.put(
      'all/actions.csv',
      csv('USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE', ['u3,a1,1700000000,taken', 'u4,a1,1700000001,taken', 'u7,a2,1700000002,taken']),
    );
    for (const [arn, key] of [
      [interactions, 'all/interactions.csv'],
      [users, 'all/users.csv'],
      [items, 'all/items.csv'],
      [actionInteractions, 'all/actions.csv'],
    ]) {
      assert.equal((await importAndWait(client, arn, at(key))).status, 'ACTIVE');
    }
    // Individual records: events and user records of deleted users and of kept ones; u10's put
    // (newer than the bulk row) must stay what ALL shows for u10.
    const event = (userId: string, itemId: string, t: number) =>
      events.send(
        new PutEventsCommand({
          trackingId,
          userId,
          sessionId: 's1',
          eventList: [{ itemId, eventType: 'click', sentAt: new Date(t * 1000) }],
        }),
      );
    await event('u1', 'i1', 1_800_000_001);
    await event('put-only', 'i2', 1_800_000_002);
    await event('u10', 'i3', 1_800_000_003);
    await events.send(
      new PutUsersCommand({
        datasetArn: users,
        users: [
          { userId: 'u2', properties: JSON.stringify({ age: 99 }) },
          { userId: 'u10', properties: JSON.stringify({ age: 77 }) },
          { userId: 'put-only', properties: JSON.stringify({ age: 55 }) },
        ],
      }),
    );

    await events.send(
      new PutActionInteractionsCommand({
        trackingId: actionTrackingId,
        actionInteractions: [
          { userId: 'u5', sessionId: 's1', actionId: 'a3', eventType: 'taken', timestamp: new Date(1_800_000_000_000) },
          { userId: 'u6', sessionId: 's1', actionId: 'a3', eventType: 'taken', timestamp: new Date(1_800_000_000_000) },
        ],
      }),
    );

    const datasets = { interactions, users, items, actionInteractions };
    const snapshot = async () =>
      Object.fromEntries(
        await Promise.all(Object.entries(datasets).map(async ([k, arn]) => [k, await exportLines(client, bucket, arn, 'ALL')])),
      ) as Record<keyof typeof datasets, string[]>;
    const before = await snapshot();
    assert.ok(before.users.includes('u10,77') && !before.users.includes('u10,30'), 'the put of u10 wins over its bulk row');

    // A folder: .csv objects at any depth (any letter case), other objects ignored (u9 stays).
    await bucket.put('list/a.csv', csv('USER_ID', ['u1', 'u2', '"u3"', 'u1']));
    await bucket.put('list/sub/b.csv', '\uFEFFUSER_ID\r\nu5\r\nghost-user\r\n');
    await bucket.put('list/sub/deeper/c.CSV', csv('USER_ID', ['u7', 'put-only']));
    await bucket.put('list/sub/notes.txt', csv('USER_ID', ['u9']));
    const { dataDeletionJobArn } = await createJob(client, group, at('list/'));
    const done = await jobEnd(client, dataDeletionJobArn);
    assert.equal(done.status, 'COMPLETED', done.failureReason);
    // Distinct listed users found anywhere: u1 u2 u3 u5 u7 (bulk) and put-only; not ghost-user.
    assert.equal(done.numDeleted, 6);
    assert.equal(done.failureReason, undefined);

    const deleted = new Set(['u1', 'u2', 'u3', 'u5', 'u7', 'put-only']);
    const kept = (lines: string[]) => lines.filter((l, i) => i === 0 || !deleted.has(l.split(',')[0]));
    const afterwards = await snapshot();
    assert.deepEqual(afterwards.interactions, kept(before.interactions));
    assert.deepEqual(afterwards.users, kept(before.users));
    assert.deepEqual(afterwards.items, before.items);
    assert.deepEqual(afterwards.actionInteractions, kept(before.actionInteractions));
    assert.deepEqual(afterwards.actionInteractions, [
      'USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE',
      'u4,a1,1700000001,taken',
      'u6,a3,1800000000,taken',
    ]);
    // The comparison removed something real, and kept the rest (u9 listed only in a .txt).
    // interactionRows4(1200) gives u0..u35 13 rows each; plus the events of u1 and put-only.
    assert.equal(before.interactions.length - afterwards.interactions.length, 5 * 13 + 2);
    assert.equal(afterwards.users.length, 1 + 97 - 5, 'header, the 97 bulk users minus u1 u2 u3 u5 u7 (put-only is gone too)');
    assert.ok(afterwards.users.includes('u10,77') && afterwards.users.includes('u9,29'));
    // PUT alone: the deleted users' records are gone, the others' kept.
    assert.deepEqual(await exportLines(client, bucket, users, 'PUT'), ['USER_ID,AGE', 'u10,77']);
    assert.deepEqual(await exportLines(client, bucket, interactions, 'PUT'), [INTERACTIONS_HEADER_4, 'u10,i3,1800000003,click']);

    const listed = (await client.send(new ListDataDeletionJobsCommand({ datasetGroupArn: group }))).dataDeletionJobs!;
    assert.deepEqual(
      listed.map((j) => [j.dataDeletionJobArn, j.status]),
      [[dataDeletionJobArn, 'COMPLETED']],
    );
  });

  it('fails with the file and line of bad values, or of a later file with a bad header, and deletes nothing', async () => {
    const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.users, 'Users');
    await bucket.put('fail/users.csv', csv('USER_ID,AGE', ['u1,1', 'u2,2']));
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/fail/users.csv`)).status, 'ACTIVE');
    const before = await exportLines(client, bucket, datasetArn, 'ALL');

    await bucket.put('fail/values.csv', csv('USER_ID', ['u1', '', 'x'.repeat(257), 'a,b', 'u2']));
    const values = await jobEnd(
      client,
      (await createJob(client, datasetGroupArn, `s3://${bucket.name}/fail/values.csv`)).dataDeletionJobArn,
    );
    assert.equal(values.status, 'FAILED');
    assert.equal(values.numDeleted, undefined);
    const file = `s3://${bucket.name}/fail/values.csv`;
    assert.equal(
      values.failureReason,
      `3 of 5 user IDs are invalid. First errors: ${file} line 3: empty USER_ID; ${file} line 4: '${'x'.repeat(40)}…' is 257 characters long; USER_ID can have at most 256 characters; ${file} line 5: the line has 2 columns but the header has 1 (USER_ID)`,
    );

    await bucket.put('fail/folder/a.csv', csv('USER_ID', ['u1']));
    await bucket.put('fail/folder/z/b.csv', csv('user_id', ['u2']));
    const header = await jobEnd(client, (await createJob(client, datasetGroupArn, `s3://${bucket.name}/fail/folder/`)).dataDeletionJobArn);
    assert.equal(header.status, 'FAILED');
    assert.match(header.failureReason!, /fail\/folder\/z\/b\.csv line 1: .*exactly one column named USER_ID.*'user_id'/);
    assert.deepEqual(await exportLines(client, bucket, datasetArn, 'ALL'), before);
  });
});
