// The console's training and serving API without a browser, in open mode: a group's solutions,
// campaigns, recommenders, filters and batch jobs; a solution's versions with metrics and
// hyperparameters as GetSolutionMetrics / DescribeSolutionVersion give them; a campaign's and a
// recommender's history; try-it answering exactly what the runtime API answers (with and without
// a filter), with the items' metadata, and its errors; a batch job's output preview.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeRecommenderCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  StartRecommenderCommand,
  StopRecommenderCommand,
} from '@aws-sdk/client-personalize';
import { GetPersonalizedRankingCommand, GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import type { BatchJobDetail, GroupModels, ServingDetail, SolutionDetail, TryItAnswer } from '../../src/console/console-training-types.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { runtimeClient } from '../testkit/serving-fixtures.ts';
import { errorOf, startTestService, type TestService } from '../testkit/service-harness.ts';
import { movieOf, trainingScenario, type TrainingScenario } from './console-training-fixtures.ts';

describe('console API: training and serving', () => {
  let svc: TestService;
  let s: TrainingScenario;
  const api = async <T>(path: string, params: Record<string, string> = {}): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${svc.endpoint}/console/api/${path}?${new URLSearchParams(params)}`);
    return { status: r.status, body: (await r.json()) as T };
  };
  const tryIt = async (body: unknown, query = '', contentType = 'application/json') => {
    const r = await fetch(`${svc.endpoint}/console/api/try-it${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as TryItAnswer & { error?: string; message?: string } };
  };

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    s = await trainingScenario(svc, svc.client(), localBucket(svc.dataDir));
  });
  after(() => svc?.close());

  it("lists the group's solutions, campaigns, filters and batch jobs", async () => {
    const { status, body } = await api<GroupModels>('group/models', { group: s.groupArn });
    assert.equal(status, 200);
    const up = body.solutions.find((x) => x.arn === s.solutionArn)!;
    assert.equal(up.recipe, 'aws-user-personalization');
    assert.equal(up.versions, 2);
    assert.deepEqual(up.latestVersion, { arn: s.versions[1], status: 'ACTIVE' });
    assert.deepEqual(body.campaigns.map((c) => c.arn).sort(), [s.campaignArn, s.simsCampaignArn, s.rankingCampaignArn].sort());
    assert.equal(body.campaigns.find((c) => c.arn === s.campaignArn)?.detail, s.versions[1].replace(/^.*:solution\//, ''));
    assert.deepEqual(
      body.filters.map((f) => [f.arn, f.detail]),
      [[s.excludeGenres, 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)']],
    );
    assert.deepEqual(
      body.batchJobs.map((j) => [j.arn, j.kind, j.status, j.filesDone, j.files, j.lines, j.errors]),
      [[s.batchJobArn, 'inference', 'ACTIVE', 1, 1, 4, 0]],
    );
    assert.deepEqual(body.recommenders, []);
    const domain = (await api<GroupModels>('group/models', { group: s.domainGroupArn })).body;
    assert.equal(domain.domain, 'VIDEO_ON_DEMAND');
    assert.deepEqual(
      domain.recommenders.map((r) => [r.arn, r.detail, r.status]),
      [[s.recommenderArn, 'aws-vod-top-picks', 'ACTIVE']],
    );
  });

  it('shows a solution with every version: status, training time, hyperparameters and metrics as the API gives them', async () => {
    const { body } = await api<SolutionDetail>('solution', { arn: s.solutionArn });
    assert.equal(body.recipe, 'aws-user-personalization');
    assert.equal(body.recipeType, 'USER_PERSONALIZATION');
    assert.deepEqual(
      body.versions.map((v) => v.arn),
      [s.versions[1], s.versions[0]],
      'newest first',
    );
    const client = svc.client();
    for (const v of body.versions) {
      const described = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: v.arn }))).solutionVersion!;
      const { metrics } = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: v.arn }));
      assert.equal(v.status, 'ACTIVE');
      assert.deepEqual(v.metrics, metrics);
      assert.equal(v.trainingHours, described.trainingHours);
      assert.equal(v.trainingMode, 'FULL');
      assert.ok(v.elapsedMs! > 0);
      // The recipe's documented defaults, as the solution gave none.
      assert.deepEqual(v.hyperParameters, { hidden_dimension: '149', bptt: '32', recency_mask: 'True' });
    }
    // The second version trained on the later import's data too.
    assert.ok(body.versions[0].trainingData!.interactions > body.versions[1].trainingData!.interactions);
    assert.deepEqual(
      body.versions[0].campaigns.map((c) => c.arn),
      [s.campaignArn],
    );
    assert.deepEqual(body.versions[1].campaigns, []);
  });

  it("shows a campaign's history: created with the first version, updated to the second", async () => {
    const { body } = await api<ServingDetail>('campaign', { arn: s.campaignArn });
    assert.equal(body.status, 'ACTIVE');
    assert.equal(body.solutionVersionArn, s.versions[1]);
    assert.deepEqual(
      body.history.map((e) => [e.event, e.what, e.status]),
      [
        ['created', s.versions[0], 'ACTIVE'],
        ['updated', s.versions[1], 'ACTIVE'],
      ],
    );
    assert.equal(body.tryIt.operation, 'GetRecommendations');
    assert.equal(body.tryIt.userId, 'required');
    assert.deepEqual(body.tryIt.filters, [
      {
        arn: s.excludeGenres,
        name: s.excludeGenres.split('/').pop(),
        expression: 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)',
        parameters: ['GENRES'],
      },
    ]);
    assert.deepEqual(body.tryIt.metadataColumns, ['TITLE', 'GENRES']);
  });

  it('try-it answers what GetRecommendations answers, with titles and genres, filter included', async () => {
    const runtime = runtimeClient(svc);
    for (const filter of [undefined, { filterArn: s.excludeGenres, filterValues: { GENRES: '"Drama","Thriller"' } }]) {
      const r = await tryIt({ arn: s.campaignArn, userId: 'u4', numResults: 12, ...filter });
      assert.equal(r.status, 200, r.body.message);
      const sdk = await runtime.send(
        new GetRecommendationsCommand({ campaignArn: s.campaignArn, userId: 'u4', numResults: 12, ...filter }),
      );
      assert.deepEqual(
        r.body.items.map((i) => [i.itemId, i.score]),
        sdk.itemList!.map((i) => [i.itemId, i.score]),
      );
      for (const i of r.body.items) assert.deepEqual(i.metadata, { TITLE: movieOf(i.itemId).title, GENRES: movieOf(i.itemId).genre });
      assert.match(r.body.recommendationId!, /^RID-/);
      if (filter) assert.ok(r.body.items.every((i) => !['Drama', 'Thriller'].includes(i.metadata.GENRES)));
      else assert.ok(r.body.items.filter((i) => i.metadata.GENRES !== 'Comedy').length >= 8, 'u4 (even) likes cluster A');
    }
    // A related-items campaign takes an item id.
    const sims = await tryIt({ arn: s.simsCampaignArn, itemId: 'x1', numResults: 3 });
    assert.equal(sims.status, 200, sims.body.message);
    assert.equal(sims.body.items[0].itemId, 'x2', 'the planted pair');
    assert.equal(sims.body.items[0].metadata.TITLE, 'Man with a Movie Camera (1929)');
  });

  it('try-it with a Personalized-Ranking campaign ranks the items given, as GetPersonalizedRanking does', async () => {
    const shape = (await api<ServingDetail>('campaign', { arn: s.rankingCampaignArn })).body.tryIt;
    assert.deepEqual([shape.operation, shape.userId, shape.itemId], ['GetPersonalizedRanking', 'required', 'unused']);
    const inputList = ['b1', 'a1', 'x1', 'a2', 'nobody-knows'];
    const r = await tryIt({ arn: s.rankingCampaignArn, userId: 'u4', inputList });
    assert.equal(r.status, 200, r.body.message);
    assert.equal(r.body.operation, 'GetPersonalizedRanking');
    const sdk = await runtimeClient(svc).send(
      new GetPersonalizedRankingCommand({ campaignArn: s.rankingCampaignArn, userId: 'u4', inputList }),
    );
    assert.deepEqual(
      r.body.items.map((i) => [i.itemId, i.score]),
      sdk.personalizedRanking!.map((i) => [i.itemId, i.score]),
    );
  });

  it('try-it with a recommender: its use case, its automatic filter, no scores', async () => {
    const detail = (await api<ServingDetail>('recommender', { arn: s.recommenderArn })).body;
    assert.equal(detail.tryIt.userId, 'required');
    assert.deepEqual(
      detail.history.map((e) => [e.event, e.status]),
      [
        ['created', undefined],
        ['trained', 'ACTIVE'],
      ],
    );
    assert.ok(detail.metrics && Object.keys(detail.metrics).length > 0);
    const r = await tryIt({ arn: s.recommenderArn, userId: 'u0', numResults: 5 });
    assert.equal(r.status, 200, r.body.message);
    const sdk = await runtimeClient(svc).send(
      new GetRecommendationsCommand({ recommenderArn: s.recommenderArn, userId: 'u0', numResults: 5 }),
    );
    assert.deepEqual(
      r.body.items.map((i) => i.itemId),
      sdk.itemList!.map((i) => i.itemId),
    );
    assert.ok(r.body.items.every((i) => i.score === undefined && i.metadata.TITLE));
  });

  it("a recommender's history shows its stops and starts, each step as it happens", async () => {
    const client = svc.client();
    const history = async () =>
      (await api<ServingDetail>('recommender', { arn: s.recommenderArn })).body.history
        .filter((e) => e.event === 'stopped' || e.event === 'started')
        .map((e) => [e.event, e.status]);
    const until = async (status: string) => {
      for (let i = 0; i < 200; i++) {
        const r = await client.send(new DescribeRecommenderCommand({ recommenderArn: s.recommenderArn }));
        if (r.recommender?.status === status) return;
        await new Promise((done) => setTimeout(done, 20));
      }
      assert.fail(`the recommender never became ${status}`);
    };
    await client.send(new StopRecommenderCommand({ recommenderArn: s.recommenderArn }));
    assert.match(String((await history())[0][1]), /^STOP (PENDING|IN_PROGRESS)$|^INACTIVE$/);
    await until('INACTIVE');
    assert.deepEqual(await history(), [['stopped', 'INACTIVE']]);
    await client.send(new StartRecommenderCommand({ recommenderArn: s.recommenderArn }));
    await until('ACTIVE');
    assert.deepEqual(await history(), [
      ['stopped', 'INACTIVE'],
      ['started', 'ACTIVE'],
    ]);
  });

  it("try-it's errors are the runtime's, and it accepts only JSON from the caller's own account", async () => {
    const missing = await tryIt({ arn: s.campaignArn, numResults: 5 });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'InvalidInputException');
    assert.match(missing.body.message!, /userId is required/);
    // Model constraints and the handler's checks, with the runtime API's codes and messages.
    const runtime = runtimeClient(svc);
    for (const bad of [{ userId: 'u1', numResults: 501 }, { userId: 'u'.repeat(300) }]) {
      const console = await tryIt({ arn: s.campaignArn, ...bad });
      const sdk = await errorOf(() => runtime.send(new GetRecommendationsCommand({ campaignArn: s.campaignArn, ...bad })));
      assert.deepEqual([console.body.error, console.body.message], [sdk.name, sdk.message]);
    }
    // The runtime API's HTTP status too: ResourceNotFoundException is 404 there (400 on the control plane).
    const noFilter = `${s.excludeGenres}-gone`;
    const gone = await tryIt({ arn: s.campaignArn, userId: 'u1', filterArn: noFilter });
    const sdkGone = await errorOf(() =>
      runtime.send(new GetRecommendationsCommand({ campaignArn: s.campaignArn, userId: 'u1', filterArn: noFilter })),
    );
    assert.deepEqual(
      [gone.status, gone.body.error, gone.body.message],
      [sdkGone.$metadata?.httpStatusCode, 'ResourceNotFoundException', sdkGone.message],
    );
    assert.equal(gone.status, 404);
    const badValues = await tryIt({ arn: s.campaignArn, userId: 'u1', filterArn: s.excludeGenres, filterValues: { GENRES: 3 } });
    assert.equal(badValues.status, 400);
    assert.match(badValues.body.message!, /filterValues/);
    assert.equal((await tryIt({ arn: s.campaignArn, userId: 'u1' }, '', 'text/plain')).status, 415);
    assert.equal((await tryIt({ arn: s.campaignArn, userId: 'u1' }, '?account=123456789012')).status, 404);
    assert.equal((await tryIt({ arn: s.groupArn, userId: 'u1' })).status, 400);
    // Everything else stays read-only.
    const r = await fetch(`${svc.endpoint}/console/api/solution?arn=${encodeURIComponent(s.solutionArn)}`, { method: 'POST' });
    assert.equal(r.status, 405);
  });

  it("previews a batch job's output: the first lines of its .out file", async () => {
    const { body } = await api<BatchJobDetail>('batch-job', { arn: s.batchJobArn });
    assert.equal(body.status, 'ACTIVE');
    assert.equal(body.solutionVersionArn, s.versions[1]);
    assert.equal(body.solutionArn, s.solutionArn);
    assert.equal(body.numResults, 5);
    const text = await s.bucket.get(s.batchOutKey);
    assert.deepEqual(body.preview, [
      { file: `s3://${s.bucket.name}/${s.batchOutKey}`, lines: text.trimEnd().split('\n'), truncated: false },
    ]);
    assert.equal(body.preview[0].lines.length, 4);
    assert.deepEqual(JSON.parse(body.preview[0].lines[0]).input, { userId: 'u0' });
  });
});

describe('console try-it with credentials', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_CREDENTIALS: 'AKIDTRY:try-secret:123456789012' });
  });
  after(() => svc?.close());

  it('needs a session like every console call, and is scoped to its account', async () => {
    const arn = 'arn:aws:personalize:us-east-1:123456789012:campaign/none';
    const post = (headers: Record<string, string>) =>
      fetch(`${svc.endpoint}/console/api/try-it`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ arn, userId: 'u1' }),
      });
    assert.equal((await post({})).status, 401);
    const signedIn = await fetch(`${svc.endpoint}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessKeyId: 'AKIDTRY', secretAccessKey: 'try-secret' }),
    });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0];
    const r = await post({ cookie });
    assert.equal(r.status, 404);
    assert.match(((await r.json()) as { message: string }).message, /No campaign .*campaign\/none in account 123456789012/);
  });
});
