// The console's training and serving pages end to end in headless Chromium: from a dataset group
// to its solution (two versions with their metrics charts and hyperparameters), to a campaign
// (its history) whose try-it panel shows the runtime API's answer with movie titles, with a filter
// and its $parameter, and a malformed value's error; a ranking campaign's panel; a recommender's
// page and panel; a batch job's output preview. Screenshots are kept under .test-artifacts/console/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetPersonalizedRankingCommand, GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import type { Browser, Page } from 'playwright-core';
import { buildConsole } from '../../scripts/build-console.mjs';
import { launchChromium } from '../testkit/chromium.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { runtimeClient } from '../testkit/serving-fixtures.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';
import { movieOf, trainingScenario, type TrainingScenario } from './console-training-fixtures.ts';

const ARTIFACTS = join('.test-artifacts', 'console');
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });

describe('web console training and serving pages in Chromium', () => {
  let browser: Browser;
  let svc: TestService;
  let s: TrainingScenario;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildConsole();
    [browser, svc] = await Promise.all([launchChromium(), startTestService({}, { manualJobs: true })]);
    s = await trainingScenario(svc, svc.client(), localBucket(svc.dataDir));
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // What would betray a broken page: script errors, CSP refusals, failed calls, requests elsewhere.
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on(
      'console',
      (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`),
    );
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${new URL(r.url()).pathname}`));
    page.on('request', (r) => !r.url().startsWith(svc.endpoint) && problems.push(`request elsewhere: ${r.url()}`));
  });
  after(async () => {
    await browser?.close();
    await svc?.close();
  });

  const go = (hash: string) => page.goto(`${svc.endpoint}/console#/${hash}`);

  it("lists the group's solutions, campaigns, filters and batch jobs, and follows a solution to its versions", async () => {
    await go(`group/${encodeURIComponent(s.groupArn)}`);
    const solutionName = s.solutionArn.split('/').pop()!;
    await page.locator(`tr[data-solution="${solutionName}"]`).waitFor();
    assert.equal(await page.locator('tr[data-campaign]').count(), 3);
    assert.equal(await page.locator('tr[data-filter] td.detail').innerText(), 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)');
    assert.equal(await page.locator('tr[data-batch-job] .badge').innerText(), 'ACTIVE');
    await shot(page, 'group-models.png');

    await page.locator(`tr[data-solution="${solutionName}"] a`).click();
    await page.locator('article.version').nth(1).waitFor();
    const [newest, oldest] = s.versions.map((v) => v.split('/').pop()!).reverse();
    assert.deepEqual(await page.locator('article.version').evaluateAll((els) => els.map((e) => e.getAttribute('data-version'))), [
      newest,
      oldest,
    ]);
    // A chart per version, a bar per metric, on the same scales; the comparison table marks the best.
    for (const id of [newest, oldest]) assert.equal(await page.locator(`svg[data-chart="metrics-${id}"] rect`).count(), 8);
    assert.equal(await page.locator('table.compare tbody tr').count(), 8);
    assert.ok((await page.locator('table.compare td.best').count()) >= 8);
    const card = page.locator(`article[data-version="${newest}"]`);
    assert.match(await card.innerText(), /training time\s+[\d.]+ (ms|s) from creation to ACTIVE \(trainingHours 0\.\d{3}\)/);
    assert.match(await card.locator('.hyperparameters').innerText(), /recency_mask\s+True/);
    assert.equal(await card.locator('dd a').innerText(), s.campaignArn.split('/').pop());
    await shot(page, 'solution.png');
  });

  it("shows a campaign's history and answers in its try-it panel with titles and scores, filtered too", async () => {
    await go(`campaign/${encodeURIComponent(s.campaignArn)}`);
    await page.locator('table.history tbody tr').nth(1).waitFor();
    assert.deepEqual(await page.locator('table.history tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event'))), [
      'created',
      'updated',
    ]);
    await page.fill('#try-it input[name=userId]', 'u4');
    await page.click('#try-it button[type=submit]');
    await page.locator('#try-it-summary').waitFor();
    const sdk = await runtimeClient(svc).send(new GetRecommendationsCommand({ campaignArn: s.campaignArn, userId: 'u4', numResults: 10 }));
    const rows = page.locator('table.answer-table tbody tr');
    assert.deepEqual(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-item'))),
      sdk.itemList!.map((i) => i.itemId),
    );
    const first = sdk.itemList![0];
    assert.equal(await rows.first().locator('td.score').innerText(), String(first.score));
    assert.equal(await rows.first().locator('td[data-column=TITLE]').innerText(), movieOf(first.itemId!).title);
    await shot(page, 'campaign-try-it.png');

    await page.selectOption('#try-it select[name=filter]', s.excludeGenres);
    await page.fill('#try-it input[name=param-GENRES]', '"Drama","Thriller"');
    await page.click('#try-it button[type=submit]');
    // The filtered answer replaces the table: ten rows again, none of them a Drama. (Waiting for the
    // Drama cells to detach would trip Playwright's strict mode while the old table, with several, is up.)
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table.answer-table td[data-column=GENRES]')];
      return cells.length === 10 && cells.every((td) => td.textContent !== 'Drama');
    });
    const genres = await page.locator('table.answer-table td[data-column=GENRES]').allInnerTexts();
    assert.equal(genres.length, 10);
    assert.ok(
      genres.every((g) => g === 'Comedy' || g === 'Documentary'),
      genres.join(),
    );
    await shot(page, 'campaign-try-it-filter.png');

    // A malformed value: the runtime's own message, in the panel.
    await page.fill('#try-it input[name=param-GENRES]', '"Drama');
    await page.click('#try-it button[type=submit]');
    await page.locator('#try-it .error', { hasText: 'InvalidInputException' }).waitFor();
    assert.match(await page.locator('#try-it .error').innerText(), /GENRES .*a quote is not closed/);
    assert.deepEqual(problems.splice(0), ['400 /console/api/try-it']);
  });

  it('ranks the items given with a Personalized-Ranking campaign', async () => {
    await go(`campaign/${encodeURIComponent(s.rankingCampaignArn)}`);
    await page.locator('#try-it textarea[name=inputList]').fill('b1, a1, x1, a2');
    await page.fill('#try-it input[name=userId]', 'u4');
    await page.click('#try-it button[type=submit]');
    await page.locator('table.answer-table tbody tr').nth(3).waitFor();
    const sdk = await runtimeClient(svc).send(
      new GetPersonalizedRankingCommand({ campaignArn: s.rankingCampaignArn, userId: 'u4', inputList: ['b1', 'a1', 'x1', 'a2'] }),
    );
    assert.deepEqual(
      await page.locator('table.answer-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-item'))),
      sdk.personalizedRanking!.map((i) => i.itemId),
    );
    await shot(page, 'ranking-try-it.png');
  });

  it("shows a recommender's metrics and history and tries it for a user", async () => {
    await go(`recommender/${encodeURIComponent(s.recommenderArn)}`);
    await page.locator('svg[data-chart="metrics-served"]').waitFor();
    assert.equal(await page.locator('table.history tbody tr[data-event=trained] .badge').innerText(), 'ACTIVE');
    await page.fill('#try-it input[name=userId]', 'u1');
    await page.click('#try-it button[type=submit]');
    await page.locator('table.answer-table tbody tr').first().waitFor();
    const titles = await page.locator('table.answer-table td[data-column=TITLE]').allInnerTexts();
    assert.equal(titles.length, 10);
    assert.ok(titles.every((t) => t.length > 0));
    assert.equal(await page.locator('table.answer-table th', { hasText: 'score' }).count(), 0, 'recommenders give no scores');
    await shot(page, 'recommender-try-it.png');
  });

  it("previews a batch job's output", async () => {
    await go(`batch/${encodeURIComponent(s.batchJobArn)}`);
    const file = page.locator('.out-file');
    await file.waitFor();
    assert.equal(await file.locator('.out-name').innerText(), `s3://${s.bucket.name}/${s.batchOutKey}`);
    const text = await file.locator('pre').innerText();
    assert.equal(text.trimEnd().split('\n').length, 4);
    assert.match(text, /"input":\{"userId":"u0"\},"output":\{"recommendedItems":\[/);
    assert.match(await page.locator('.progress-line').innerText(), /1 of 1 file\(s\) · 4 line\(s\) · 0 with an error/);
    await shot(page, 'batch-job.png');
    assert.deepEqual(problems, []);
  });
});
