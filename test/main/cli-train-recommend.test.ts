// `openpersonalize train` and `openpersonalize recommend` as processes against a service running
// in this test process (its jobs run by themselves, as under `serve`): training creates what is
// missing and prints GetSolutionMetrics' metrics, or the failure reason; recommend answers what
// the runtime API answers, by name or ARN, with a filter, metadata when the campaign returns it,
// rankings, related items and recommenders; errors are one line.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  CreateCampaignCommand,
  CreateRecommenderCommand,
  DescribeRecommenderCommand,
  DescribeSolutionCommand,
  GetSolutionMetricsCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { GetPersonalizedRankingCommand, GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { runCommand, type Io } from '../../src/main/cli/cli-common.ts';
import { recommendCommand } from '../../src/main/cli/cli-recommend.ts';
import { trainCommand } from '../../src/main/cli/cli-train.ts';
import { activeFilter } from '../testkit/batch-fixtures.ts';
import { importAndWait, localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { domainDataset, domainRows } from '../testkit/recommender-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { campaignActive, recipeArn, runtimeClient, servingRows } from '../testkit/serving-fixtures.ts';
import { startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { movieOf, MOVIE_ITEMS_SCHEMA } from '../console/console-training-fixtures.ts';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_PROFILE: '' };
    execFile(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], { env, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs a command in this process (on a terminal or not); returns its exit code and what it wrote. */
async function inProcess(fn: (a: string[], io: Io) => Promise<number>, args: string[], tty = true) {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s), tty, env: {} };
  return { code: await runCommand(fn, args, io), out, err };
}

async function groupWithMovies(svc: TestService, client: PersonalizeClient, bucket: Bucket): Promise<string> {
  const data = servingRows();
  const groupArn = await activeGroup(client);
  const interactions = await datasetIn(client, groupArn, minimalSchemas.interactions, 'Interactions');
  const items = await datasetIn(client, groupArn, MOVIE_ITEMS_SCHEMA, 'Items');
  await bucket.put('i.csv', csv(INTERACTIONS_HEADER_4, data.rows));
  await bucket.put(
    'm.csv',
    csv(
      'ITEM_ID,TITLE,GENRES',
      [...data.usersPerItem.keys()].map((id) => `${id},${movieOf(id).title},${movieOf(id).genre}`),
    ),
  );
  for (const [dataset, key] of [
    [interactions, 'i.csv'],
    [items, 'm.csv'],
  ]) {
    const job = await importAndWait(client, dataset, `s3://${bucket.name}/${key}`);
    assert.equal(job.status, 'ACTIVE', job.failureReason);
  }
  return groupArn;
}

describe('openpersonalize train and recommend', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let bucket: Bucket;
  let group: string;
  let groupArn: string;
  let ep: string[];
  const trained: Record<string, { solutionArn: string; solutionVersionArn: string }> = {};

  before(async () => {
    svc = await startTestService();
    client = svc.client();
    bucket = localBucket(svc.dataDir);
    groupArn = await groupWithMovies(svc, client, bucket);
    group = groupArn.split('/').pop()!;
    ep = ['--endpoint', svc.endpoint];
  });
  after(() => svc?.close());

  it('train --json creates the solution and a version, waits for ACTIVE and gives the metrics of GetSolutionMetrics', async () => {
    const r = await cli(['train', '--dataset-group', group, '--recipe', 'aws-user-personalization', '--json', ...ep]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const o = JSON.parse(r.stdout) as Record<string, unknown> & { solutionArn: string; solutionVersionArn: string };
    assert.equal(o.status, 'ACTIVE');
    assert.equal(o.recipe, 'aws-user-personalization');
    assert.equal(o.trainingMode, 'FULL');
    assert.deepEqual(o.created, [`solution ${group}-user-personalization`]);
    const { metrics } = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: o.solutionVersionArn }));
    assert.deepEqual(o.metrics, metrics);
    const solution = (await client.send(new DescribeSolutionCommand({ solutionArn: o.solutionArn }))).solution!;
    assert.equal(solution.performAutoTraining, false);
    assert.equal(solution.datasetGroupArn, groupArn);
    trained.up = o;
  });

  it('train again reuses the solution, and prints the metrics table; a terminal sees the progress line', async () => {
    const r = await cli(['train', '--dataset-group', group, ...ep]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [first, header, ...rows] = r.stdout.trimEnd().split('\n');
    assert.match(
      first,
      /^ACTIVE: trained arn:aws:personalize:us-east-1:000000000000:solution\/.+-user-personalization\/[0-9a-f]{8} \(aws-user-personalization, FULL\) in [\d.]+s$/,
    );
    assert.match(header, /^metric\s+value$/);
    assert.deepEqual(
      rows.map((l) => l.split(/\s+/)[0]),
      [
        'coverage',
        'mean_reciprocal_rank_at_25',
        'normalized_discounted_cumulative_gain_at_5',
        'normalized_discounted_cumulative_gain_at_10',
        'normalized_discounted_cumulative_gain_at_25',
        'precision_at_5',
        'precision_at_10',
        'precision_at_25',
      ],
    );
    const versionArn = first.split(' ')[2];
    const { metrics } = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: versionArn }));
    for (const l of rows) {
      const [name, value] = l.split(/\s+/);
      assert.equal(value, metrics![name].toFixed(4));
    }
    assert.doesNotMatch(r.stderr, /created solution/);
    assert.match(r.stderr, /^training solution version arn:/m);
    assert.doesNotMatch(r.stderr, /\r|\x1b\[/, 'no progress line into a pipe');

    const tty = await inProcess(trainCommand, ['--dataset-group', group, '--recipe', 'aws-sims', ...ep]);
    assert.equal(tty.code, 0, tty.err);
    assert.match(tty.err, /\r\x1b\[2K[|/\\-] training \((CREATE PENDING|CREATE IN_PROGRESS)\) \d+s/);
    trained.sims = { solutionArn: '', solutionVersionArn: tty.out.split(' ')[2] };
  });

  it('a version that cannot train ends with the reason, exit 1', async () => {
    const r = await cli(['train', '--dataset-group', group, '--solution', uniqueName('by-type'), '--event-type', 'rating', ...ep]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stdout, 'CREATE FAILED: Dataset has fewer than 1000 interactions after filtering by event type: rating\n');
  });

  it('train errors are one line', async () => {
    const cases: [string[], number, RegExp][] = [
      [
        ['--dataset-group', 'no-such-group', ...ep],
        2,
        /^openpersonalize: there is no dataset group no-such-group in us-east-1: import data first/,
      ],
      [
        ['--dataset-group', group, '--recipe', 'aws-nothing', '--solution', 'x1', ...ep],
        1,
        /^openpersonalize: CreateSolution: ResourceNotFoundException: .*aws-nothing/,
      ],
      [
        ['--dataset-group', group, '--recipe', 'aws-sims', '--solution', `${group}-user-personalization`, ...ep],
        2,
        /uses the recipe .*aws-user-personalization, not .*aws-sims: give another --solution/,
      ],
      [['--dataset-group', group, '--training-mode', 'PARTIAL', ...ep], 2, /--training-mode PARTIAL must be FULL or UPDATE/],
      [['--dataset-group', group, '--hyperparameter', 'oops', '--solution', 'x2', ...ep], 2, /--hyperparameter oops must be NAME=VALUE/],
    ];
    for (const [args, code, message] of cases) {
      // In this process (the messages are the command's own); a process's stderr is checked below.
      const r = await inProcess(trainCommand, args, false);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.err.trimEnd().split('\n').length, 1, `one line: ${r.err}`);
    }
    const r = await cli(['train', '--dataset-group', group, '--endpoint', 'http://127.0.0.1:9']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'openpersonalize: cannot reach the service at http://127.0.0.1:9 (is openpersonalize serve running? --endpoint URL)\n',
    );
  });

  describe('recommend', () => {
    let withMetadata: string;
    let plain: string;
    let sims: string;
    let ranking: string;
    let filterArn: string;
    const runtime = () => runtimeClient(svc);
    const campaign = async (versionArn: string, config: Record<string, unknown>) => {
      const { campaignArn } = await client.send(
        new CreateCampaignCommand({ name: uniqueName('cli'), solutionVersionArn: versionArn, campaignConfig: config }),
      );
      await campaignActive(client, campaignArn!);
      return campaignArn!;
    };

    before(async () => {
      withMetadata = await campaign(trained.up.solutionVersionArn, {
        enableMetadataWithRecommendations: true,
        itemExplorationConfig: { explorationWeight: '0' },
      });
      plain = await campaign(trained.up.solutionVersionArn, { itemExplorationConfig: { explorationWeight: '0' } });
      sims = await campaign(trained.sims.solutionVersionArn, {});
      const r = await cli(['train', '--dataset-group', group, '--recipe', 'aws-personalized-ranking', '--json', ...ep]);
      ranking = await campaign((JSON.parse(r.stdout) as { solutionVersionArn: string }).solutionVersionArn, {});
      filterArn = await activeFilter(client, groupArn, 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)');
    });

    it('by name: a table of items, scores and the Items columns the campaign returns', async () => {
      const r = await cli(['recommend', withMetadata.split('/').pop()!, '--user-id', 'u4', '--num-results', '5', ...ep]);
      assert.equal(r.code, 0, r.stderr);
      const sdk = await runtime().send(
        new GetRecommendationsCommand({
          campaignArn: withMetadata,
          userId: 'u4',
          numResults: 5,
          metadataColumns: { ITEMS: ['TITLE', 'GENRES'] },
        }),
      );
      const [header, ...rows] = r.stdout.trimEnd().split('\n');
      assert.match(header, /^#\s+ITEM\s+SCORE\s+TITLE\s+GENRES$/);
      assert.equal(rows.length, 5);
      rows.forEach((row, i) => {
        const it = sdk.itemList![i];
        assert.equal(row.replace(/\s{2,}/g, '|').trim(), [i + 1, it.itemId, it.score, it.metadata!.TITLE, it.metadata!.GENRES].join('|'));
      });
      assert.match(r.stderr, /^5 item\(s\) from campaign arn:.* \(RID-[0-9a-f-]+\)\n$/, 'metadata shown: no note');
    });

    it('--json with a filter by name and its values: the API answer itself', async () => {
      const r = await cli([
        'recommend',
        plain,
        '--user-id',
        'u4',
        '--filter',
        filterArn.split('/').pop()!,
        '--filter-values',
        'GENRES="Drama","Thriller"',
        '--json',
        ...ep,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const o = JSON.parse(r.stdout) as { campaignArn: string; operation: string; itemList: { itemId: string; score: number }[] };
      const sdk = await runtime().send(
        new GetRecommendationsCommand({ campaignArn: plain, userId: 'u4', filterArn, filterValues: { GENRES: '"Drama","Thriller"' } }),
      );
      assert.equal(o.campaignArn, plain);
      assert.equal(o.operation, 'GetRecommendations');
      assert.deepEqual(o.itemList, sdk.itemList);
      assert.equal(o.itemList.length, 25);
      assert.ok(o.itemList.every((i) => !['Drama', 'Thriller'].includes(movieOf(i.itemId).genre)));
      // Without metadata enabled the text says so on stderr and shows no columns.
      const text = await cli(['recommend', plain, '--user-id', 'u4', '--num-results', '3', ...ep]);
      assert.match(text.stdout, /^#\s+ITEM\s+SCORE\n/);
      assert.match(text.stderr, /no metadata: the campaign does not enable enableMetadataWithRecommendations/);
    });

    it('related items by --item-id, a ranking by --items, a recommender by name', async () => {
      const related = await cli(['recommend', sims, '--item-id', 'x1', '--num-results', '3', '--json', ...ep]);
      assert.equal(related.code, 0, related.stderr);
      assert.equal((JSON.parse(related.stdout) as { itemList: { itemId: string }[] }).itemList[0].itemId, 'x2');

      const ranked = await cli(['recommend', ranking, '--user-id', 'u4', '--items', 'b1,a1,x1,a2', '--json', ...ep]);
      assert.equal(ranked.code, 0, ranked.stderr);
      const sdk = await runtime().send(
        new GetPersonalizedRankingCommand({ campaignArn: ranking, userId: 'u4', inputList: ['b1', 'a1', 'x1', 'a2'] }),
      );
      assert.deepEqual((JSON.parse(ranked.stdout) as { personalizedRanking: unknown }).personalizedRanking, sdk.personalizedRanking);

      // A VIDEO_ON_DEMAND recommender, by its name: no scores (rule 94).
      const domainGroup = await activeGroup(client, { domain: 'VIDEO_ON_DEMAND' });
      const interactions = await domainDataset(client, domainGroup, 'VIDEO_ON_DEMAND', minimalSchemas.interactions, 'Interactions');
      await bucket.put('vod.csv', csv(INTERACTIONS_HEADER_4, domainRows('VIDEO_ON_DEMAND').rows));
      assert.equal((await importAndWait(client, interactions, `s3://${bucket.name}/vod.csv`)).status, 'ACTIVE');
      const name = uniqueName('picks');
      const { recommenderArn } = await client.send(
        new CreateRecommenderCommand({ name, datasetGroupArn: domainGroup, recipeArn: recipeArn('aws-vod-top-picks') }),
      );
      await waitFor(
        async () => (await client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender?.status === 'ACTIVE',
        60_000,
        'recommender',
      );
      const r = await cli(['recommend', name, '--user-id', 'u1', '--num-results', '4', ...ep]);
      assert.equal(r.code, 0, r.stderr);
      const want = await runtime().send(new GetRecommendationsCommand({ recommenderArn, userId: 'u1', numResults: 4 }));
      const [header, ...rows] = r.stdout.trimEnd().split('\n');
      assert.match(header, /^#\s+ITEM$/, 'no scores from a recommender');
      assert.deepEqual(
        rows.map((l) => l.trim().split(/\s+/)[1]),
        want.itemList!.map((i) => i.itemId),
      );
    });

    it('recommend errors are one line: the service refusing, unknown names, usage', async () => {
      const cases: [string[], number, RegExp][] = [
        [[plain, '--num-results', '3', ...ep], 1, /^openpersonalize: GetRecommendations: InvalidInputException: userId is required/],
        [['no-such-campaign', '--user-id', 'u1', ...ep], 1, /there is no campaign or recommender named no-such-campaign/],
        [[plain, '--user-id', 'u1', '--filter', 'no-such-filter', ...ep], 1, /there is no filter named no-such-filter/],
        [
          [plain, '--user-id', 'u1', '--filter', filterArn, '--filter-values', '{"GENRES": 3}', ...ep],
          2,
          /must map parameter names to strings/,
        ],
        [[plain, '--user-id', 'u1', '--filter-values', 'GENRES="Drama"', ...ep], 2, /--filter-values needs --filter/],
        [
          [plain, '--user-id', 'u1', '--filter', filterArn, '--filter-values', 'GENRES="Drama', ...ep],
          1,
          /InvalidInputException: .*GENRES.*a quote is not closed/,
        ],
        [[ranking, '--user-id', 'u1', ...ep], 2, /ranks items \(aws-personalized-ranking\): give --items/],
        [[plain, '--user-id', 'u1', '--num-results', 'many', ...ep], 2, /--num-results many must be a whole number/],
        [
          [plain, '--user-id', 'u1', '--metadata', 'TITLE', ...ep],
          1,
          /metadataColumns needs a campaign with enableMetadataWithRecommendations/,
        ],
      ];
      for (const [args, code, message] of cases) {
        const r = await inProcess(recommendCommand, args, false);
        assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
        assert.match(r.err, message);
        assert.equal(r.err.trimEnd().split('\n').length, 1, `one line: ${r.err}`);
        assert.equal(r.out, '');
      }
    });
  });
});
