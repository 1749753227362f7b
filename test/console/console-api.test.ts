// The console's JSON API without a browser, in open mode: listings, a dataset's detail, its
// aggregates checked against numbers computed here from the generated CSV, a page of rows, a
// failed import's offending lines, account isolation, individual records (PutEvents, PutUsers)
// counted and merged into plots and rows, and a group's data deletion jobs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDataDeletionJobCommand, DescribeDataDeletionJobCommand } from '@aws-sdk/client-personalize';
import { PutEventsCommand, PutUsersCommand } from '@aws-sdk/client-personalize-events';
import type {
  DatasetDetail,
  DatasetInsights,
  DatasetSummary,
  GroupDetail,
  GroupSummary,
  ImportJobDetail,
  RowsPage,
  WhoAmI,
} from '../../src/console/console-api-types.ts';
import { buildConsole } from '../../scripts/build-console.mjs';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv } from '../testkit/rows.ts';
import { startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { expectedInsights, scenario, type Scenario } from './console-fixtures.ts';

describe('console API (open mode)', () => {
  let svc: TestService;
  let s: Scenario;
  let bucket: Bucket;
  const api = async <T>(path: string, params: Record<string, string | number> = {}): Promise<{ status: number; body: T }> => {
    const r = await fetch(
      `${svc.endpoint}/console/api/${path}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`,
    );
    return { status: r.status, body: (await r.json()) as T };
  };

  before(async () => {
    svc = await startTestService();
    bucket = localBucket(svc.dataDir);
    s = await scenario(svc.client(), bucket);
  });
  after(() => svc.close());

  it('says who is looking: the default account and region, or the ones asked for', async () => {
    assert.deepEqual((await api<WhoAmI>('whoami')).body, { mode: 'open', account: '000000000000', region: 'us-east-1' });
    assert.deepEqual((await api<WhoAmI>('whoami', { account: '123456789012', region: 'eu-west-1' })).body, {
      mode: 'open',
      account: '123456789012',
      region: 'eu-west-1',
    });
    const bad = await api<{ message: string }>('whoami', { region: 'mars' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /not a region/);
  });

  it('lists dataset groups and their datasets with the latest import', async () => {
    const { body } = await api<{ groups: GroupSummary[] }>('dataset-groups');
    const group = body.groups.find((g) => g.arn === s.datasetGroupArn);
    assert.ok(group, 'the group is listed');
    assert.equal(group.status, 'ACTIVE');
    assert.equal(group.datasets, 1);
    const { body: ds } = await api<{ datasets: DatasetSummary[] }>('datasets', { group: s.datasetGroupArn });
    assert.equal(ds.datasets.length, 1);
    assert.equal(ds.datasets[0].arn, s.datasetArn);
    assert.equal(ds.datasets[0].latestImport?.arn, s.failedJobArn);
    assert.equal(ds.datasets[0].latestImport?.status, 'CREATE FAILED');
  });

  it('describes a dataset: schema, parts and both import jobs, newest first', async () => {
    const { body: d } = await api<DatasetDetail>('dataset', { arn: s.datasetArn });
    assert.deepEqual(
      d.schemaFields.map((f) => `${f.name}:${f.type}`),
      ['USER_ID:string', 'ITEM_ID:string', 'TIMESTAMP:long', 'EVENT_TYPE:string'],
    );
    assert.equal(d.bulkParts, 1);
    assert.deepEqual(
      d.imports.map((j) => [j.arn, j.status]),
      [
        [s.failedJobArn, 'CREATE FAILED'],
        [s.goodJobArn, 'ACTIVE'],
      ],
    );
    assert.equal(d.imports[1].progress?.rows, s.lines.length, 'the finished job reports the rows it read');
    assert.match(d.imports[0].failureReason ?? '', /2 of 1203 rows are invalid/);
    assert.deepEqual(d.exports, []);
    assert.equal(d.individualRecords, 0);
    assert.equal('deletions' in d, false, 'deletion jobs belong to the group, not to a dataset');
  });

  it('computes the plots from the dataset rows, as the test computes them from the CSV', async () => {
    const want = expectedInsights(s.lines);
    const { status, body: got } = await api<DatasetInsights>('dataset/insights', { arn: s.datasetArn });
    assert.equal(status, 200);
    assert.equal(got.bulkRows, want.rows);
    assert.equal(got.bulkRows, s.lines.length - 3, 'the three exact duplicates count once');
    assert.equal(got.individualRows, 0);
    assert.equal(got.covers, 'bulk');
    assert.equal(got.rows, want.rows);
    const x = got.interactions!;
    assert.equal(x.granularity, 'day');
    assert.deepEqual(x.perPeriod, want.perDay);
    assert.equal(x.perPeriod.length, 9);
    assert.deepEqual(x.eventTypes, want.eventTypes);
    assert.deepEqual(x.topItems, want.topItems);
    assert.deepEqual(x.perUserHistogram, want.histogram);
    assert.ok(want.histogram.length >= 5, `a long tail spans several power-of-two bins (${want.histogram.length})`);
    assert.equal(x.users, want.users);
    assert.equal(x.items, want.items);
    assert.equal(x.maxPerUser, want.maxPerUser);
    assert.equal(x.medianPerUser, want.medianPerUser);
  });

  it('pages through rows in a stable order', async () => {
    const distinct = [...new Set(s.lines)].map((l) => l.split(','));
    const key = (r: string[]) => [r[0], r[1], r[2].padStart(12, '0'), r[3]].join('\u0000');
    distinct.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const { body: page } = await api<RowsPage>('dataset/rows', { arn: s.datasetArn, offset: 10, limit: 5 });
    assert.deepEqual(page.columns, ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE']);
    assert.equal(page.total, distinct.length);
    assert.deepEqual(
      page.rows.map((r) => r.map(String)),
      distinct.slice(10, 15),
    );
    assert.equal(page.covers, 'bulk');
    assert.equal((await api('dataset/rows', { arn: s.datasetArn, limit: 100000 })).status, 400);
  });

  it('shows a failed import with its offending lines and the bad cells', async () => {
    const { body: j } = await api<ImportJobDetail>('import-job', { arn: s.failedJobArn });
    assert.equal(j.status, 'CREATE FAILED');
    assert.equal(j.header, 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE');
    assert.deepEqual(
      j.problems.map((p) => [p.file.endsWith('/traffic-bad/bad.csv'), p.line, p.column]),
      [
        [true, 6, 'TIMESTAMP'],
        [true, 9, 'USER_ID'],
      ],
    );
    const [ts, user] = j.problems;
    assert.equal(ts.text, 'u7,i3,not-a-time,click');
    assert.equal(ts.cellIndex, 2);
    assert.equal(ts.cells?.[ts.cellIndex!], 'not-a-time');
    assert.match(ts.rule, /'not-a-time' is not a whole number \(long\)/);
    assert.equal(user.text, ',i3,1700000000,view');
    assert.equal(user.cellIndex, 0);
    assert.equal(user.cells?.[0], '');
  });

  it('keeps accounts apart and answers 404 for what the caller cannot see', async () => {
    const other = await api<{ groups: GroupSummary[] }>('dataset-groups', { account: '111122223333' });
    assert.equal(
      other.body.groups.some((g) => g.arn === s.datasetGroupArn),
      false,
    );
    assert.equal((await api('dataset', { arn: s.datasetArn, account: '111122223333' })).status, 404);
    assert.equal((await api('dataset', { arn: s.datasetArn, region: 'eu-west-1' })).status, 404);
    assert.equal(
      (await api('dataset/insights', { arn: 'arn:aws:personalize:us-east-1:000000000000:dataset/nope/INTERACTIONS' })).status,
      404,
    );
    assert.equal((await api('nothing-here')).status, 404);
  });

  it('serves its own page and assets with a policy that allows nothing from elsewhere, and no other files', async () => {
    await buildConsole();
    const page = await fetch(`${svc.endpoint}/console`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'self'/);
    const html = await page.text();
    for (const src of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      if (src[1] === 'data:,' || src[1].startsWith('#')) continue; // an empty icon, an in-page link
      assert.match(src[1], /^\/console\/assets\//, `${src[1]} is served by the service`);
      assert.equal((await fetch(`${svc.endpoint}${src[1]}`)).status, 200, src[1]);
    }
    for (const path of ['/console/assets/%2e%2e%2fpackage.json', '/console/assets/..%2F..%2Fpackage.json', '/console/other']) {
      assert.equal((await fetch(`${svc.endpoint}${path}`)).status, 404, path);
    }
  });

  it('is read-only', async () => {
    const r = await fetch(`${svc.endpoint}/console/api/dataset-groups`, { method: 'POST', body: '{}' });
    assert.equal(r.status, 405);
  });

  it('counts individual events and merges them into the plots and rows as an ALL export does', async () => {
    const { trackingId } = await activeTracker(svc.client(), s.datasetGroupArn);
    const events = eventsClient(svc);
    const [dupUser, dupItem, dupTs, dupType] = s.lines[0].split(',');
    const put = (userId: string, itemId: string, t: number, eventType: string) =>
      events.send(
        new PutEventsCommand({ trackingId, userId, sessionId: 's1', eventList: [{ itemId, eventType, sentAt: new Date(t * 1000) }] }),
      );
    await put('zz-new', 'i-new', 1_700_100_000, 'purchase');
    await put('zz-new', 'i-new', 1_700_100_001, 'share');
    await put(dupUser, dupItem, Number(dupTs), dupType); // the same interaction as a bulk row: kept once
    const added = ['zz-new,i-new,1700100000,purchase', 'zz-new,i-new,1700100001,share', s.lines[0]];
    const want = expectedInsights([...s.lines, ...added]);

    assert.equal((await api<DatasetDetail>('dataset', { arn: s.datasetArn })).body.individualRecords, 3);
    const { body: got } = await api<DatasetInsights>('dataset/insights', { arn: s.datasetArn });
    assert.equal(got.individualRows, 3);
    assert.equal(got.bulkRows, expectedInsights(s.lines).rows, 'the bulk count is the bulk data alone');
    assert.equal(got.covers, 'bulk+individual');
    assert.equal(got.rows, want.rows);
    assert.equal(got.rows, got.bulkRows + 2);
    assert.deepEqual(got.interactions?.eventTypes, want.eventTypes);
    assert.ok(
      want.eventTypes.some((t) => t.label === 'share'),
      'an event type only put individually is plotted',
    );
    assert.deepEqual(got.interactions?.perPeriod, want.perDay);
    assert.deepEqual(got.interactions?.topItems, want.topItems);
    assert.equal(got.interactions?.users, want.users);
    assert.equal(got.interactions?.items, want.items);
    // 'zz-new' sorts after every 'u…' user: the last two rows are the put events.
    const { body: page } = await api<RowsPage>('dataset/rows', { arn: s.datasetArn, offset: want.rows - 2, limit: 5 });
    assert.equal(page.covers, 'bulk+individual');
    assert.equal(page.total, want.rows);
    assert.deepEqual(
      page.rows.map((r) => r.map(String).join(',')),
      added.slice(0, 2),
    );
  });

  it('counts individual users, the newest version of a user winning in the rows', async () => {
    const { datasetArn } = await activeDataset(svc.client(), minimalSchemas.users, 'Users');
    const events = eventsClient(svc);
    const putUsers = (users: [string, number][]) =>
      events.send(
        new PutUsersCommand({ datasetArn, users: users.map(([userId, age]) => ({ userId, properties: JSON.stringify({ age }) })) }),
      );
    await putUsers([
      ['alice', 30],
      ['bob', 40],
    ]);
    await putUsers([['alice', 31]]);
    const { body: got } = await api<DatasetInsights>('dataset/insights', { arn: datasetArn });
    assert.deepEqual([got.bulkRows, got.individualRows, got.rows, got.covers], [0, 2, 2, 'bulk+individual']);
    const { body: page } = await api<RowsPage>('dataset/rows', { arn: datasetArn });
    assert.deepEqual(page.rows, [
      ['alice', 31],
      ['bob', 40],
    ]);
  });

  it("lists a group's data deletion jobs on the group, with status, users deleted and failure reason", async () => {
    const client = svc.client();
    const job = async (key: string, lines: string[]) => {
      await bucket.put(key, csv('USER_ID', lines));
      const { dataDeletionJobArn } = await client.send(
        new CreateDataDeletionJobCommand({
          jobName: uniqueName('del'),
          datasetGroupArn: s.datasetGroupArn,
          dataSource: { dataLocation: `s3://${bucket.name}/${key}` },
          roleArn: 'arn:aws:iam::000000000000:role/deletion',
        }),
      );
      return waitFor(
        async () => {
          const j = (await client.send(new DescribeDataDeletionJobCommand({ dataDeletionJobArn }))).dataDeletionJob!;
          return j.status === 'COMPLETED' || j.status === 'FAILED' ? j : undefined;
        },
        30_000,
        'deletion job to end',
      );
    };
    const done = await job('deletions/ok.csv', ['zz-new']);
    assert.equal(done.status, 'COMPLETED', done.failureReason);
    const failed = await job('deletions/bad.csv', ['zz-new', '']);
    assert.equal(failed.status, 'FAILED');

    const { body: g } = await api<GroupDetail>('datasets', { group: s.datasetGroupArn });
    assert.equal(g.datasets.length, 1);
    const byArn = new Map(g.deletions.map((j) => [j.arn, j]));
    assert.equal(g.deletions.length, 2);
    const ok = byArn.get(done.dataDeletionJobArn!)!;
    assert.deepEqual(
      [ok.kind, ok.status, ok.numDeleted, ok.location],
      ['deletion', 'COMPLETED', 1, `s3://${bucket.name}/deletions/ok.csv`],
    );
    const bad = byArn.get(failed.dataDeletionJobArn!)!;
    assert.equal(bad.status, 'FAILED');
    assert.equal(bad.numDeleted, undefined);
    assert.equal(bad.failureReason, failed.failureReason);
    assert.match(bad.failureReason ?? '', /bad\.csv/);
    // The deleted user's two events are gone from the individual records; the duplicate stays.
    assert.equal((await api<DatasetInsights>('dataset/insights', { arn: s.datasetArn })).body.individualRows, 1);
  });
});
