// The web console end to end in headless Chromium: from the dataset groups to a dataset (schema,
// counts, plots, rows) and to its failed import, whose offending line is shown with the bad cell
// highlighted; a new import appearing and finishing without a reload; and, with credentials
// configured, the sign-in. Screenshots are kept under .test-artifacts/console/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateDatasetImportJobCommand } from '@aws-sdk/client-personalize';
import type { Browser, Page } from 'playwright-core';
import { buildConsole } from '../../scripts/build-console.mjs';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { csv, INTERACTIONS_HEADER_4, trafficRows4 } from '../testkit/rows.ts';
import { launchChromium } from '../testkit/chromium.ts';
import { startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { expectedInsights, scenario, type Scenario } from './console-fixtures.ts';

const ARTIFACTS = join('.test-artifacts', 'console');

/** A page that records what would betray a broken console: script errors, CSP refusals, requests elsewhere. */
async function watchedPage(browser: Browser, endpoint: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Failed loads are recorded with their URL by 'response'; Chromium's console line about them names none.
  page.on(
    'console',
    (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`),
  );
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${new URL(r.url()).pathname}`));
  page.on('request', (r) => !r.url().startsWith(endpoint) && problems.push(`request elsewhere: ${r.url()}`));
  return { page, problems };
}

// One browser for the whole file: starting Chromium costs seconds on this machine's two cores.
let browser: Browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await buildConsole();
  browser = await launchChromium();
});
after(() => browser?.close());

describe('web console in Chromium', () => {
  let svc: TestService;
  let bucket: Bucket;
  let s: Scenario;

  before(async () => {
    svc = await startTestService();
    bucket = localBucket(svc.dataDir);
    s = await scenario(svc.client(), bucket);
  });
  after(() => svc?.close());

  it('follows a dataset group to its dataset and to the failed import, and shows the offending line', async () => {
    const { page, problems } = await watchedPage(browser, svc.endpoint);
    await page.goto(`${svc.endpoint}/console`);
    const groupName = s.datasetGroupArn.split('/').pop()!;
    await page.locator(`tr[data-group="${groupName}"] a`).click();

    const datasetRow = page.locator('tr[data-dataset]');
    await datasetRow.locator('a').click();
    await page.locator('h2', { hasText: 'Dataset' }).waitFor();
    const want = expectedInsights(s.lines);
    await page.locator('[data-count="bulk"]', { hasText: want.rows.toLocaleString('en-US') }).waitFor();
    assert.equal(await page.locator('[data-count="individual"]').innerText(), '0');
    assert.match(await page.locator('[data-covers="bulk"]').innerText(), /^bulk data only: /);
    assert.deepEqual(await page.locator('table.schema td.mono').allInnerTexts(), ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE']);
    // One bar per day, per event type, per top item and per histogram bin.
    assert.equal(await page.locator('svg[data-chart="per-period"] rect').count(), want.perDay.length);
    assert.equal(await page.locator('svg[data-chart="event-types"] rect').count(), want.eventTypes.length);
    assert.equal(await page.locator('svg[data-chart="top-items"] rect').count(), want.topItems.length);
    assert.equal(await page.locator('svg[data-chart="per-user"] rect').count(), want.histogram.length);
    await page.locator('table.rows tbody tr').first().waitFor();
    assert.equal(await page.locator('table.rows tbody tr').count(), 25);
    await page.screenshot({ path: join(ARTIFACTS, 'dataset.png'), fullPage: true });

    const failedName = s.failedJobArn.split('/').pop()!;
    await page.locator(`tr[data-job="${failedName}"] a`).click();
    const line6 = page.locator('li.problem[data-line="6"]');
    await line6.waitFor();
    assert.match(await line6.locator('.where').innerText(), /line 6, column TIMESTAMP: 'not-a-time' is not a whole number \(long\)/);
    assert.equal(await line6.locator('.offending-line code').innerText(), 'u7,i3,not-a-time,click');
    assert.equal(await line6.locator('mark.bad-cell').innerText(), 'not-a-time');
    assert.equal(await page.locator('li.problem[data-line="9"] mark.bad-cell').innerText(), '∅', 'an empty cell is marked visibly');
    assert.match(await page.locator('#failure-reason').innerText(), /2 of 1203 rows are invalid/);
    await page.screenshot({ path: join(ARTIFACTS, 'failed-import.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows a new import and its end without a reload', async () => {
    const { page, problems } = await watchedPage(browser, svc.endpoint);
    await page.goto(`${svc.endpoint}/console#/dataset/${encodeURIComponent(s.datasetArn)}`);
    await page.locator('h2', { hasText: 'Dataset' }).waitFor();
    await bucket.put('more/more.csv', csv(INTERACTIONS_HEADER_4, trafficRows4(1500, 99)));
    const jobName = uniqueName('live');
    await svc.client().send(
      new CreateDatasetImportJobCommand({
        jobName,
        datasetArn: s.datasetArn,
        dataSource: { dataLocation: `s3://${bucket.name}/more/more.csv` },
      }),
    );
    const row = page.locator(`tr[data-job="${jobName}"]`);
    await row.waitFor({ timeout: 10_000 });
    await row.locator('.badge', { hasText: /^ACTIVE$/ }).waitFor({ timeout: 20_000 });
    // The finished FULL import replaced the data: the counts follow without a reload.
    const rows = expectedInsights(trafficRows4(1500, 99)).rows.toLocaleString('en-US');
    await page.locator('[data-count="bulk"]', { hasText: rows }).waitFor({ timeout: 10_000 });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows a running import with its progress', async () => {
    // A job row as the import worker leaves it mid-way (not queued, so nothing runs it): the page
    // must show the phase, the rows and bytes read so far, and a progress bar.
    const now = Date.now();
    const jobName = uniqueName('running');
    const arn = s.failedJobArn.replace(/[^/]+$/, jobName);
    await svc.catalog.insert({
      arn,
      account: '000000000000',
      region: 'us-east-1',
      kind: 'dataset-import-job',
      name: jobName,
      parentArn: s.datasetArn,
      status: 'CREATE IN_PROGRESS',
      createdAt: now,
      updatedAt: now,
      body: {
        dataSource: { dataLocation: `s3://${bucket.name}/big.csv` },
        importMode: 'FULL',
        progress: { phase: 'validating', rows: 123_456, bytes: 3 * 1048576, totalBytes: 12 * 1048576 },
      },
    });
    const { page, problems } = await watchedPage(browser, svc.endpoint);
    await page.goto(`${svc.endpoint}/console#/group/${encodeURIComponent(s.datasetGroupArn)}`);
    const onGroup = page.locator('tr[data-dataset] .progress-line');
    await onGroup.waitFor();
    assert.equal(await onGroup.innerText(), 'validating · 123,456 rows · 3.0 MB of 12.0 MB');
    await page.goto(`${svc.endpoint}/console#/import/${encodeURIComponent(arn)}`);
    const bar = page.locator('.progress-line progress');
    await bar.waitFor();
    assert.equal(await bar.evaluate((el) => (el as HTMLProgressElement).value), 25);
    await page.screenshot({ path: join(ARTIFACTS, 'running-import.png') });
    assert.deepEqual(problems, []);
    await page.close();
    await svc.catalog.delete(arn);
  });

  it("lists the group's data deletion jobs on the group page", async () => {
    // Two ended jobs as the deletion worker leaves them (not queued, so nothing runs them).
    const now = Date.now();
    const [done, failed] = [uniqueName('deleted'), uniqueName('refused')];
    const arnOf = (name: string) => s.datasetGroupArn.replace(/dataset-group\/.*/, `data-deletion-job/${name}`);
    const job = (name: string, status: string, body: Record<string, unknown>) =>
      svc.catalog.insert({
        arn: arnOf(name),
        account: '000000000000',
        region: 'us-east-1',
        kind: 'data-deletion-job',
        name,
        parentArn: s.datasetGroupArn,
        status,
        createdAt: now,
        updatedAt: now,
        body: { dataSource: { dataLocation: `s3://${bucket.name}/users.csv` }, ...body },
      });
    await job(done, 'COMPLETED', { numDeleted: 1234 });
    await job(failed, 'FAILED', { failureReason: 'users.csv line 3: USER_ID is empty.' });
    const { page, problems } = await watchedPage(browser, svc.endpoint);
    await page.goto(`${svc.endpoint}/console#/group/${encodeURIComponent(s.datasetGroupArn)}`);
    await page.locator(`tr[data-job="${done}"]`).waitFor();
    assert.equal(await page.locator(`tr[data-job="${done}"] .badge`).innerText(), 'COMPLETED');
    assert.equal(await page.locator(`tr[data-job="${done}"] .num-deleted`).innerText(), '1,234');
    assert.equal(await page.locator(`tr[data-job="${failed}"] .reason`).innerText(), 'users.csv line 3: USER_ID is empty.');
    await page.screenshot({ path: join(ARTIFACTS, 'group.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
    await Promise.all([done, failed].map((n) => svc.catalog.delete(arnOf(n))));
  });
});

describe('web console sign-in in Chromium', () => {
  let svc: TestService;

  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_CREDENTIALS: 'AKIDWEB:web-secret:210987654321' });
  });
  after(() => svc?.close());

  it('asks for a key pair, refuses a wrong one, and shows the account after signing in', async () => {
    const { page, problems } = await watchedPage(browser, svc.endpoint);
    await page.goto(`${svc.endpoint}/console`);
    await page.locator('form.signin').waitFor();
    assert.match(await page.locator('#who').innerText(), /not signed in/);
    await page.fill('input[name=accessKeyId]', 'AKIDWEB');
    await page.fill('input[name=secretAccessKey]', 'not-the-secret');
    await page.click('form.signin button[type=submit]');
    await page.locator('form.signin .error', { hasText: 'wrong' }).waitFor();
    await page.fill('input[name=secretAccessKey]', 'web-secret');
    await page.click('form.signin button[type=submit]');
    await page.locator('h2', { hasText: 'Dataset groups' }).waitFor();
    assert.match(await page.locator('#who').innerText(), /AKIDWEB · account 210987654321 · us-east-1/);
    assert.equal((await page.context().cookies()).find((c) => c.name === 'openpersonalize_console')?.httpOnly, true);
    await page.screenshot({ path: join(ARTIFACTS, 'signed-in.png') });
    // Before signing in, whoami answers 401 (that is how the page knows to ask), and so does the wrong pair.
    assert.deepEqual(problems, ['401 /console/api/whoami', '401 /console/api/session']);
    await page.close();
  });
});
