// Solutions, solution versions (the training job) and GetSolutionMetrics through the AWS SDK
// (training-rules.md §2-§4): every operation with its errors, the timed states, the quotas, and
// training from imported and individually put data, with the minimum-data failures in AWS's words.
// Jobs run when a test drains the runner, so every status a test sees is deterministic.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DeleteDatasetGroupCommand,
  DeleteSolutionCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
  ListTagsForResourceCommand,
  StopSolutionVersionCreationCommand,
  UpdateSolutionCommand,
  type CreateSolutionCommandInput,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset, activeGroup, datasetIn } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4, trafficRows4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { testClock } from '../testkit/test-clock.ts';

const RECIPE = (name: string) => `arn:aws:personalize:::recipe/${name}`;
const POPULARITY = RECIPE('aws-popularity-count');
const METRIC_NAMES = [
  'coverage',
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'precision_at_10',
  'precision_at_25',
  'precision_at_5',
];

describe('solutions and solution versions', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let bucket: Bucket;
  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    bucket = localBucket(svc.dataDir);
  });
  after(() => svc.close());

  /** Runs an import of `rows` (INTERACTIONS_HEADER_4) into the dataset to its end. */
  async function imported(datasetArn: string, rows: string[], importMode: 'FULL' | 'INCREMENTAL' = 'FULL'): Promise<void> {
    const key = `${uniqueName('data')}.csv`;
    await bucket.put(key, csv(INTERACTIONS_HEADER_4, rows));
    const { datasetImportJobArn } = await client.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn,
        importMode,
        dataSource: { dataLocation: `s3://${bucket.name}/${key}` },
      }),
    );
    await svc.runner.drain();
    const job = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
    assert.equal(job.status, 'ACTIVE', job.failureReason);
  }

  /** A group with an Interactions dataset holding `rows`. */
  async function groupWithData(rows: string[]): Promise<{ datasetGroupArn: string; datasetArn: string }> {
    const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    await imported(datasetArn, rows);
    return { datasetArn, datasetGroupArn };
  }

  async function activeSolution(datasetGroupArn: string, o: Partial<CreateSolutionCommandInput> = {}): Promise<string> {
    const { solutionArn } = await client.send(
      new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY, performAutoTraining: false, ...o }),
    );
    await waitFor(
      async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE',
      10_000,
      'solution ACTIVE',
    );
    return solutionArn!;
  }

  const describeVersion = async (solutionVersionArn: string) =>
    (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;

  /** Creates a version, runs its job and returns it as Describe shows it then. */
  async function trained(solutionArn: string) {
    const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
    await svc.runner.drain();
    return describeVersion(solutionVersionArn!);
  }

  const modelFiles = (key: string) => join(svc.dataDir, 'storage', 'parts', key);

  describe('CreateSolution, DescribeSolution, ListSolutions', () => {
    it('creates a solution that becomes ACTIVE and shows what was given', async () => {
      const datasetGroupArn = await activeGroup(client);
      const name = uniqueName('sol');
      const { solutionArn } = await client.send(
        new CreateSolutionCommand({ name, datasetGroupArn, recipeArn: POPULARITY, tags: [{ tagKey: 'team', tagValue: 'recs' }] }),
      );
      assert.equal(solutionArn, `arn:aws:personalize:us-east-1:000000000000:solution/${name}`);
      const first = (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution!;
      assert.ok(['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(first.status!), first.status);
      await waitFor(async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE');
      const solution = (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution!;
      assert.deepEqual(
        {
          name: solution.name,
          solutionArn: solution.solutionArn,
          performHPO: solution.performHPO,
          performAutoML: solution.performAutoML,
          performAutoTraining: solution.performAutoTraining,
          recipeArn: solution.recipeArn,
          datasetGroupArn: solution.datasetGroupArn,
          status: solution.status,
        },
        {
          name,
          solutionArn,
          performHPO: false,
          performAutoML: false,
          performAutoTraining: true,
          recipeArn: POPULARITY,
          datasetGroupArn,
          status: 'ACTIVE',
        },
      );
      // Created without a configuration: no solutionConfig key (rule 38), no version yet.
      assert.equal('solutionConfig' in solution, false);
      assert.equal(solution.latestSolutionVersion, undefined);
      assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: solutionArn }))).tags, [
        { tagKey: 'team', tagValue: 'recs' },
      ]);
      const again = await errorOf(() => client.send(new CreateSolutionCommand({ name, datasetGroupArn, recipeArn: POPULARITY })));
      assert.equal(again.name, 'ResourceAlreadyExistsException');
    });

    it('echoes a valid solutionConfig verbatim', async () => {
      const datasetGroupArn = await activeGroup(client);
      const solutionConfig = {
        eventValueThreshold: '0.5',
        algorithmHyperParameters: { hidden_dimension: '55', bptt: '20', recency_mask: 'false' },
        featureTransformationParameters: { max_user_history_length_percentile: '0.95' },
        autoTrainingConfig: { schedulingExpression: 'rate(3 days)' },
        trainingDataConfig: { excludedDatasetColumns: { Interactions: ['EVENT_TYPE'] } },
      };
      const solutionArn = await activeSolution(datasetGroupArn, {
        recipeArn: RECIPE('aws-user-personalization'),
        eventType: 'click',
        solutionConfig,
        performAutoTraining: true,
      });
      const solution = (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution!;
      assert.deepEqual(solution.solutionConfig, solutionConfig);
      assert.equal(solution.eventType, 'click');
      // HPO with only a resource config, as the SIMS sample sends it (rule 37).
      await activeSolution(datasetGroupArn, {
        recipeArn: RECIPE('aws-sims'),
        performHPO: true,
        solutionConfig: { hpoConfig: { hpoResourceConfig: { maxNumberOfTrainingJobs: '40', maxParallelTrainingJobs: '10' } } },
      });
      await activeSolution(datasetGroupArn, {
        recipeArn: RECIPE('aws-user-personalization'),
        performHPO: true,
        solutionConfig: {
          hpoConfig: {
            algorithmHyperParameterRanges: {
              integerHyperParameterRanges: [{ name: 'hidden_dimension', minValue: 32, maxValue: 200 }],
              categoricalHyperParameterRanges: [{ name: 'recency_mask', values: ['true', 'false'] }],
            },
          },
        },
      });
      await activeSolution(datasetGroupArn, {
        recipeArn: RECIPE('aws-user-personalization-v2'),
        solutionConfig: { eventsConfig: { eventParametersList: [{ eventType: 'click', weight: 0.3, eventValueThreshold: 0.1 }] } },
      });
      await activeSolution(datasetGroupArn, {
        recipeArn: RECIPE('aws-trending-now'),
        solutionConfig: { featureTransformationParameters: { trend_discovery_frequency: '30 minutes' } },
      });
    });

    it('refuses what cannot be trained, with the code and a reason', async () => {
      const datasetGroupArn = await activeGroup(client);
      await datasetIn(client, datasetGroupArn, minimalSchemas.items, 'Items');
      const create = (o: Partial<CreateSolutionCommandInput>) =>
        errorOf(() => client.send(new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY, ...o })));
      const expect = async (o: Partial<CreateSolutionCommandInput>, code: string, message: RegExp) => {
        const e = await create(o);
        assert.equal(e.name, code, `${JSON.stringify(o)}: ${e.message}`);
        assert.match(e.message, message);
      };
      await expect({ recipeArn: RECIPE('aws-no-such-recipe') }, 'ResourceNotFoundException', /aws-no-such-recipe/);
      await expect({ recipeArn: undefined }, 'InvalidInputException', /recipeArn is required/);
      await expect({ performAutoML: true }, 'InvalidInputException', /Either performAutoML or recipeArn/);
      await expect({ performAutoML: true, recipeArn: undefined }, 'InvalidInputException', /performAutoML/);
      await expect({ recipeArn: RECIPE('aws-hrnn') }, 'InvalidInputException', /legacy/);
      await expect({ recipeArn: RECIPE('aws-ecomm-recommended-for-you') }, 'InvalidInputException', /recommenders/);
      await expect({ datasetGroupArn: `${datasetGroupArn}-nope` }, 'ResourceNotFoundException', /dataset group/);
      const hp = (algorithmHyperParameters: Record<string, string>, recipe = 'aws-user-personalization') =>
        expect({ recipeArn: RECIPE(recipe), solutionConfig: { algorithmHyperParameters } }, 'InvalidInputException', /./);
      await hp({ hidden_dimension: '300' });
      await hp({ hidden_dimension: 'many' });
      await hp({ bptt: '2.5' });
      await hp({ recency_mask: 'maybe' });
      await hp({ no_such_parameter: '1' });
      await hp({ item_id_hidden_dim: '100' }, 'aws-similar-items');
      await hp({ anything: '1' }, 'aws-popularity-count');
      await expect(
        {
          solutionConfig: { featureTransformationParameters: { trend_discovery_frequency: '5 minutes' } },
          recipeArn: RECIPE('aws-trending-now'),
        },
        'InvalidInputException',
        /30 minutes/,
      );
      await expect({ solutionConfig: { eventValueThreshold: 'high' } }, 'InvalidInputException', /eventValueThreshold/);
      await expect(
        { solutionConfig: { eventsConfig: { eventParametersList: [{ eventType: 'click', weight: 0.5 }] } } },
        'InvalidInputException',
        /User-Personalization-v2/,
      );
      await expect(
        {
          recipeArn: RECIPE('aws-user-personalization-v2'),
          solutionConfig: { eventsConfig: { eventParametersList: [{ eventType: 'click' }, { eventType: 'CLICK' }] } },
        },
        'InvalidInputException',
        /more than once/,
      );
      await expect(
        {
          recipeArn: RECIPE('aws-user-personalization'),
          solutionConfig: { optimizationObjective: { itemAttribute: 'GENRES', objectiveSensitivity: 'HIGH' } },
        },
        'InvalidInputException',
        /numeric column/,
      );
      await expect(
        { solutionConfig: { optimizationObjective: { itemAttribute: 'PRICE' } } },
        'InvalidInputException',
        /Personalized-Ranking/,
      );
      await expect(
        { solutionConfig: { trainingDataConfig: { excludedDatasetColumns: { Interactions: ['USER_ID'] } } } },
        'InvalidInputException',
        /USER_ID/,
      );
      await expect(
        { solutionConfig: { trainingDataConfig: { excludedDatasetColumns: { Items: ['NO_SUCH_COLUMN'] } } } },
        'InvalidInputException',
        /NO_SUCH_COLUMN/,
      );
      await expect(
        { solutionConfig: { trainingDataConfig: { excludedDatasetColumns: { Gadgets: ['X'] } } } },
        'InvalidInputException',
        /Gadgets/,
      );
      await expect(
        { solutionConfig: { autoTrainingConfig: { schedulingExpression: 'rate(31 days)' } } },
        'InvalidInputException',
        /1 to 30/,
      );
      await expect(
        { solutionConfig: { autoTrainingConfig: { schedulingExpression: 'rate(0 days)' } } },
        'InvalidInputException',
        /1 to 30/,
      );
      // The model's own pattern: a ValidationException before the handler.
      await expect({ solutionConfig: { autoTrainingConfig: { schedulingExpression: 'every week' } } }, 'ValidationException', /pattern/);
      await expect({ name: 'bad name!' }, 'ValidationException', /name/);
      await expect({ performHPO: true, recipeArn: RECIPE('aws-item-affinity') }, 'InvalidInputException', /hyperparameter optimization/);
      await expect(
        {
          performHPO: true,
          recipeArn: RECIPE('aws-user-personalization'),
          solutionConfig: { hpoConfig: { hpoResourceConfig: { maxNumberOfTrainingJobs: '41' } } },
        },
        'InvalidInputException',
        /maxNumberOfTrainingJobs/,
      );
      await expect(
        {
          performHPO: true,
          recipeArn: RECIPE('aws-user-personalization'),
          solutionConfig: {
            hpoConfig: {
              algorithmHyperParameterRanges: { continuousHyperParameterRanges: [{ name: 'hidden_dimension', minValue: 40, maxValue: 50 }] },
            },
          },
        },
        'InvalidInputException',
        /tunable continuous/,
      );
      await expect({ performIncrementalUpdate: true }, 'InvalidInputException', /Semantic-Similarity/);
      const tags = Array.from({ length: 51 }, (_, i) => ({ tagKey: `k${i}`, tagValue: 'v' }));
      await expect({ tags }, 'TooManyTagsException', /50/);
      // None of them was stored.
      assert.deepEqual((await client.send(new ListSolutionsCommand({ datasetGroupArn }))).solutions, []);
    });

    it('lists a group’s solutions newest first, in pages; other groups, accounts and regions see none', async () => {
      const datasetGroupArn = await activeGroup(client);
      const arns: string[] = [];
      for (let i = 0; i < 3; i++) arns.push(await activeSolution(datasetGroupArn));
      const all = await client.send(new ListSolutionsCommand({ datasetGroupArn }));
      assert.deepEqual(
        all.solutions!.map((s) => s.solutionArn),
        [...arns].reverse(),
      );
      assert.deepEqual(Object.keys(all.solutions![0]).sort(), [
        'creationDateTime',
        'lastUpdatedDateTime',
        'name',
        'recipeArn',
        'solutionArn',
        'status',
      ]);
      const seen: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new ListSolutionsCommand({ datasetGroupArn, maxResults: 2, nextToken }));
        seen.push(...page.solutions!.map((s) => s.solutionArn!));
        nextToken = page.nextToken;
      } while (nextToken);
      assert.deepEqual(seen, [...arns].reverse());
      assert.ok((await client.send(new ListSolutionsCommand({}))).solutions!.length >= 3);
      assert.deepEqual((await client.send(new ListSolutionsCommand({ datasetGroupArn: `${datasetGroupArn}-nope` }))).solutions, []);
      const other = svc.client({ accessKeyId: '111122223333' });
      assert.equal(
        (await errorOf(() => other.send(new DescribeSolutionCommand({ solutionArn: arns[0] })))).name,
        'ResourceNotFoundException',
      );
      assert.deepEqual((await other.send(new ListSolutionsCommand({}))).solutions, []);
      const west = svc.client({ region: 'eu-west-1' });
      assert.equal(
        (await errorOf(() => west.send(new DescribeSolutionCommand({ solutionArn: arns[0] })))).name,
        'ResourceNotFoundException',
      );
      assert.equal(
        (await errorOf(() => client.send(new ListSolutionsCommand({ datasetGroupArn, nextToken: 'garbage' })))).name,
        'InvalidNextTokenException',
      );
    });
  });

  describe('UpdateSolution and DeleteSolution', () => {
    it('refuses an update that changes nothing or is invalid', async () => {
      const datasetGroupArn = await activeGroup(client);
      const solutionArn = await activeSolution(datasetGroupArn, {
        recipeArn: RECIPE('aws-user-personalization-v2'),
        performAutoTraining: true,
      });
      const nothing = await errorOf(() => client.send(new UpdateSolutionCommand({ solutionArn })));
      assert.equal(nothing.name, 'InvalidInputException');
      const bad = await errorOf(() =>
        client.send(
          new UpdateSolutionCommand({
            solutionArn,
            solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(45 days)' } },
          }),
        ),
      );
      assert.equal(bad.name, 'InvalidInputException');
      const eventsConfig = { eventParametersList: [{ eventType: 'purchase', weight: 1 }] };
      // eventsConfig is for the v2 recipes only.
      const popular = await activeSolution(datasetGroupArn);
      const refused = await errorOf(() =>
        client.send(new UpdateSolutionCommand({ solutionArn: popular, solutionUpdateConfig: { eventsConfig } })),
      );
      assert.equal(refused.name, 'InvalidInputException');
      assert.equal(
        (await errorOf(() => client.send(new UpdateSolutionCommand({ solutionArn: `${popular}-nope`, performAutoTraining: false })))).name,
        'ResourceNotFoundException',
      );
    });

    it('deletes a solution with its versions and their models; the group waits for its solutions', async () => {
      const { datasetGroupArn } = await groupWithData(trafficRows4(2000));
      const solutionArn = await activeSolution(datasetGroupArn);
      const version = await trained(solutionArn);
      assert.equal(version.status, 'ACTIVE', version.failureReason);
      const key = (await svc.catalog.get(version.solutionVersionArn!))!.body.artifactKey as string;
      assert.ok(existsSync(modelFiles(key)), 'the artifact is stored');
      // A version still to run blocks the delete.
      const { solutionVersionArn: queued } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
      assert.equal((await errorOf(() => client.send(new DeleteSolutionCommand({ solutionArn })))).name, 'ResourceInUseException');
      await svc.runner.drain();
      const group = await errorOf(() => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn })));
      assert.equal(group.name, 'ResourceInUseException');
      assert.match(group.message, /solution/);
      await client.send(new DeleteSolutionCommand({ solutionArn }));
      for (const arn of [solutionArn]) {
        assert.equal(
          (await errorOf(() => client.send(new DescribeSolutionCommand({ solutionArn: arn })))).name,
          'ResourceNotFoundException',
        );
      }
      for (const solutionVersionArn of [version.solutionVersionArn!, queued!]) {
        assert.equal(
          (await errorOf(() => client.send(new DescribeSolutionVersionCommand({ solutionVersionArn })))).name,
          'ResourceNotFoundException',
        );
      }
      assert.equal(existsSync(modelFiles(key)), false, 'the artifact is deleted with the solution');
      assert.equal((await errorOf(() => client.send(new DeleteSolutionCommand({ solutionArn })))).name, 'ResourceNotFoundException');
      assert.equal((await errorOf(() => client.send(new ListSolutionVersionsCommand({ solutionArn })))).name, 'ResourceNotFoundException');
    });
  });

  describe('training', () => {
    it('trains a version from imported data: CREATE PENDING, then ACTIVE with metrics; the same data gives the same metrics', async () => {
      const { datasetGroupArn } = await groupWithData(trafficRows4(3000));
      const solutionArn = await activeSolution(datasetGroupArn);
      const { solutionVersionArn } = await client.send(
        new CreateSolutionVersionCommand({ solutionArn, tags: [{ tagKey: 'k', tagValue: 'v' }] }),
      );
      const id = solutionVersionArn!.slice(solutionArn.length + 1);
      assert.match(id, /^[0-9a-f]{8}$/);
      const queued = await describeVersion(solutionVersionArn!);
      assert.equal(queued.status, 'CREATE PENDING');
      assert.equal(queued.trainingHours, undefined);
      const notYet = await errorOf(() => client.send(new GetSolutionMetricsCommand({ solutionVersionArn })));
      assert.equal(notYet.name, 'ResourceInUseException');
      await svc.runner.drain();
      const version = await describeVersion(solutionVersionArn!);
      const solutionName = solutionArn.slice(solutionArn.lastIndexOf('/') + 1);
      assert.deepEqual(
        {
          name: version.name,
          solutionArn: version.solutionArn,
          recipeArn: version.recipeArn,
          datasetGroupArn: version.datasetGroupArn,
          status: version.status,
          trainingMode: version.trainingMode,
          trainingType: version.trainingType,
          performHPO: version.performHPO,
          performAutoML: version.performAutoML,
          solutionConfig: version.solutionConfig,
          failureReason: version.failureReason,
        },
        {
          name: `${solutionName}/${id}`,
          solutionArn,
          recipeArn: POPULARITY,
          datasetGroupArn,
          status: 'ACTIVE',
          trainingMode: 'FULL',
          trainingType: 'MANUAL',
          performHPO: false,
          performAutoML: false,
          solutionConfig: {},
          failureReason: undefined,
        },
      );
      assert.ok(
        version.trainingHours! > 0 && Math.round(version.trainingHours! * 1000) === version.trainingHours! * 1000,
        String(version.trainingHours),
      );
      assert.ok(version.lastUpdatedDateTime! >= version.creationDateTime!);
      assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: solutionVersionArn }))).tags, [
        { tagKey: 'k', tagValue: 'v' },
      ]);
      const { metrics, solutionVersionArn: echoed } = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn }));
      assert.equal(echoed, solutionVersionArn);
      assert.deepEqual(Object.keys(metrics!), METRIC_NAMES);
      for (const [name, value] of Object.entries(metrics!)) {
        assert.ok(value >= 0 && value <= 1, `${name} = ${value}`);
        assert.ok(Math.abs(Math.round(value * 10_000) - value * 10_000) < 1e-6, `${name} = ${value} has at most 4 decimals`);
      }
      assert.ok(metrics!.coverage > 0 && metrics!.precision_at_25 > 0, JSON.stringify(metrics));
      const second = await trained(solutionArn);
      assert.equal(second.status, 'ACTIVE');
      assert.deepEqual(
        (await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: second.solutionVersionArn }))).metrics,
        metrics,
      );
      // Newest first; the solution shows the newest as its latest version.
      const listed = await client.send(new ListSolutionVersionsCommand({ solutionArn }));
      assert.deepEqual(
        listed.solutionVersions!.map((v) => [v.solutionVersionArn, v.status, v.trainingMode, v.trainingType]),
        [
          [second.solutionVersionArn, 'ACTIVE', 'FULL', 'MANUAL'],
          [solutionVersionArn, 'ACTIVE', 'FULL', 'MANUAL'],
        ],
      );
      const page = await client.send(new ListSolutionVersionsCommand({ solutionArn, maxResults: 1 }));
      assert.equal(page.solutionVersions!.length, 1);
      assert.equal(
        (await client.send(new ListSolutionVersionsCommand({ solutionArn, maxResults: 1, nextToken: page.nextToken }))).solutionVersions![0]
          .solutionVersionArn,
        solutionVersionArn,
      );
      const solution = (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution!;
      assert.equal(solution.latestSolutionVersion?.solutionVersionArn, second.solutionVersionArn);
      assert.equal(solution.latestSolutionVersion?.status, 'ACTIVE');
      assert.ok((await client.send(new ListSolutionVersionsCommand({}))).solutionVersions!.length >= 2);
    });

    it('optimizes hyperparameters (performHPO): the best candidate on the holdout, shown as tunedHPOParams', async () => {
      const { datasetGroupArn } = await groupWithData(trafficRows4(3000));
      const sims = RECIPE('aws-sims');
      const plain = await trained(await activeSolution(datasetGroupArn, { recipeArn: sims }));
      assert.equal(plain.status, 'ACTIVE', plain.failureReason);
      assert.equal(plain.tunedHPOParams, undefined);
      const tuned = await trained(
        await activeSolution(datasetGroupArn, {
          recipeArn: sims,
          performHPO: true,
          solutionConfig: {
            hpoConfig: {
              hpoResourceConfig: { maxNumberOfTrainingJobs: '6', maxParallelTrainingJobs: '2' },
              algorithmHyperParameterRanges: {
                integerHyperParameterRanges: [{ name: 'min_cointeraction_count', minValue: 0, maxValue: 4 }],
                continuousHyperParameterRanges: [{ name: 'popularity_discount_factor', minValue: 0, maxValue: 1 }],
              },
            },
          },
        }),
      );
      assert.equal(tuned.status, 'ACTIVE', tuned.failureReason);
      const chosen = tuned.tunedHPOParams!.algorithmHyperParameters!;
      assert.deepEqual(Object.keys(chosen).sort(), ['min_cointeraction_count', 'popularity_discount_factor']);
      assert.ok(Number(chosen.min_cointeraction_count) >= 0 && Number(chosen.min_cointeraction_count) <= 4, JSON.stringify(chosen));
      const metricsOf = async (solutionVersionArn: string) =>
        (await client.send(new GetSolutionMetricsCommand({ solutionVersionArn }))).metrics!;
      const [before, after] = [await metricsOf(plain.solutionVersionArn!), await metricsOf(tuned.solutionVersionArn!)];
      assert.deepEqual(Object.keys(after), METRIC_NAMES);
      assert.ok(
        after.normalized_discounted_cumulative_gain_at_25 >= before.normalized_discounted_cumulative_gain_at_25,
        `${JSON.stringify(before)} -> ${JSON.stringify(after)}`,
      );
    });

    it('takes a name, refuses a name twice, AUTOTRAIN, and UPDATE where the recipe has no update', async () => {
      const datasetGroupArn = await activeGroup(client);
      const solutionArn = await activeSolution(datasetGroupArn);
      const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn, name: 'first' }));
      assert.equal((await describeVersion(solutionVersionArn!)).name, 'first');
      const twice = await errorOf(() => client.send(new CreateSolutionVersionCommand({ solutionArn, name: 'first' })));
      assert.equal(twice.name, 'ResourceAlreadyExistsException');
      for (const trainingMode of ['AUTOTRAIN', 'UPDATE'] as const) {
        const e = await errorOf(() => client.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode })));
        assert.equal(e.name, 'InvalidInputException', trainingMode);
      }
      const up = await activeSolution(datasetGroupArn, { recipeArn: RECIPE('aws-user-personalization') });
      const noFull = await errorOf(() => client.send(new CreateSolutionVersionCommand({ solutionArn: up, trainingMode: 'UPDATE' })));
      assert.equal(noFull.name, 'InvalidInputException');
      assert.match(noFull.message, /FULL/);
      const missing = await errorOf(() => client.send(new CreateSolutionVersionCommand({ solutionArn: `${solutionArn}-nope` })));
      assert.equal(missing.name, 'ResourceNotFoundException');
      assert.equal(
        (await errorOf(() => client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: `${solutionArn}/00000000` })))).name,
        'ResourceNotFoundException',
      );
      await svc.runner.drain();
    });

    it('fails a version without enough data, in AWS’s words', async () => {
      const failureOf = async (datasetGroupArn: string, o: Partial<CreateSolutionCommandInput> = {}) => {
        const v = await trained(await activeSolution(datasetGroupArn, o));
        assert.equal(v.status, 'CREATE FAILED');
        assert.equal(v.trainingHours, undefined);
        return v.failureReason;
      };
      const noInteractions =
        'Dataset group must contain an INTERACTIONS dataset with successfully completed dataset import job or EVENT_INTERACTIONS';
      // No Interactions dataset; one without data.
      const empty = await activeGroup(client);
      assert.equal(await failureOf(empty), noInteractions);
      await datasetIn(client, empty, minimalSchemas.interactions, 'Interactions');
      assert.equal(await failureOf(empty), noInteractions);
      // 1,200 interactions, half of them purchases: too few after filtering by event type.
      const { datasetGroupArn } = await groupWithData(interactionRows4(1200));
      assert.equal(
        await failureOf(datasetGroupArn, { eventType: 'purchase' }),
        'Dataset has fewer than 1000 interactions after filtering by event type: purchase',
      );
      assert.equal(
        await failureOf(datasetGroupArn, {
          recipeArn: RECIPE('aws-user-personalization-v2'),
          solutionConfig: { eventsConfig: { eventParametersList: [{ eventType: 'click', weight: 1 }] } },
        }),
        'Dataset has fewer than 1000 interactions after filtering by events configuration: click',
      );
      // 1,000 interactions of 20 users.
      const few = await groupWithData(Array.from({ length: 1000 }, (_, i) => `u${i % 20},i${i % 50},${1_700_000_000 + i},click`));
      assert.equal(
        await failureOf(few.datasetGroupArn),
        'Create failed. Dataset has fewer than 25 users with at least 2 interactions each.',
      );
      // Next-Best-Action needs an Actions dataset besides the interactions.
      const noActions = await failureOf(few.datasetGroupArn, { recipeArn: RECIPE('aws-next-best-action') });
      assert.match(noActions!, /must contain an ACTIONS dataset/);
      assert.equal(
        (await errorOf(() => client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: `${empty}/x` })))).name,
        'ResourceNotFoundException',
      );
    });

    it('a failed version leaves the earlier ACTIVE one as it was', async () => {
      const { datasetGroupArn, datasetArn } = await groupWithData(trafficRows4(2000));
      const solutionArn = await activeSolution(datasetGroupArn);
      const good = await trained(solutionArn);
      assert.equal(good.status, 'ACTIVE');
      const metrics = (await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: good.solutionVersionArn }))).metrics;
      // The data is replaced by interactions of 10 users: the next training fails.
      await imported(
        datasetArn,
        Array.from({ length: 1000 }, (_, i) => `u${i % 10},i${i % 40},${1_700_000_000 + i},click`),
      );
      const bad = await trained(solutionArn);
      assert.equal(bad.status, 'CREATE FAILED');
      assert.equal(bad.failureReason, 'Create failed. Dataset has fewer than 25 users with at least 2 interactions each.');
      const still = await describeVersion(good.solutionVersionArn!);
      assert.equal(still.status, 'ACTIVE');
      assert.deepEqual(
        (await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: good.solutionVersionArn }))).metrics,
        metrics,
      );
      const key = (await svc.catalog.get(good.solutionVersionArn!))!.body.artifactKey as string;
      assert.ok(existsSync(modelFiles(key)));
      const failedMetrics = await errorOf(() => client.send(new GetSolutionMetricsCommand({ solutionVersionArn: bad.solutionVersionArn })));
      assert.equal(failedMetrics.name, 'ResourceInUseException');
      // The orphan sweep keeps the model in use.
      const swept = await svc.sweepOrphans(Date.now() + 2 * 3_600_000);
      assert.equal(swept.modelArtifacts.deleted.includes(key), false);
      assert.ok(existsSync(modelFiles(key)));
    });

    it('stops a version before it runs: CREATE STOPPED, and it stays so', async () => {
      const { datasetGroupArn } = await groupWithData(trafficRows4(1500));
      const solutionArn = await activeSolution(datasetGroupArn);
      const earlier = await trained(solutionArn);
      const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
      await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn }));
      assert.equal((await describeVersion(solutionVersionArn!)).status, 'CREATE STOPPED');
      await svc.runner.drain();
      const stopped = await describeVersion(solutionVersionArn!);
      assert.equal(stopped.status, 'CREATE STOPPED');
      assert.equal(stopped.failureReason, undefined);
      assert.equal(stopped.trainingHours, undefined);
      for (const arn of [solutionVersionArn!, earlier.solutionVersionArn!]) {
        const again = await errorOf(() => client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: arn })));
        assert.equal(again.name, 'ResourceInUseException');
      }
      assert.equal(
        (await errorOf(() => client.send(new GetSolutionMetricsCommand({ solutionVersionArn })))).name,
        'ResourceInUseException',
      );
      assert.equal((await describeVersion(earlier.solutionVersionArn!)).status, 'ACTIVE');
      // A stopped version does not block deleting the solution.
      await client.send(new DeleteSolutionCommand({ solutionArn }));
    });

    it('trains on individually put events (PutEvents) like on imported ones', async () => {
      const { datasetGroupArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
      const { trackingId } = await activeTracker(client, datasetGroupArn);
      const events = eventsClient(svc);
      const rows = trafficRows4(1100);
      const byUser = new Map<string, { itemId: string; eventType: string; sentAt: Date }[]>();
      for (const row of rows) {
        const [user, item, ts, type] = row.split(',');
        byUser.set(user, [...(byUser.get(user) ?? []), { itemId: item, eventType: type, sentAt: new Date(Number(ts) * 1000) }]);
      }
      await Promise.all(
        [...byUser].map(async ([userId, list]) => {
          for (let i = 0; i < list.length; i += 10) {
            await events.send(new PutEventsCommand({ trackingId, userId, sessionId: `s-${userId}`, eventList: list.slice(i, i + 10) }));
          }
        }),
      );
      const solutionArn = await activeSolution(datasetGroupArn);
      const version = await trained(solutionArn);
      assert.equal(version.status, 'ACTIVE', version.failureReason);
      const stored = (await svc.catalog.get(version.solutionVersionArn!))!.body.trainingData as { interactions: number };
      // trafficRows4 repeats 3 rows at its end: exact duplicates count once.
      assert.equal(stored.interactions, 1100);
      assert.deepEqual(
        Object.keys((await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: version.solutionVersionArn }))).metrics!),
        METRIC_NAMES,
      );
    });
  });
});

describe('solutions: states that need a clock, and the AWS quotas', () => {
  it('refuses a solution in a group that is not ACTIVE and an update of a solution that is not; takes a version at once', async () => {
    const clock = testClock();
    const svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '1000' }, { now: clock.now, manualJobs: true });
    try {
      const client = svc.client();
      const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
      const early = await errorOf(() =>
        client.send(new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY })),
      );
      assert.equal(early.name, 'ResourceInUseException');
      clock.advance(1000);
      const { solutionArn } = await client.send(
        new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY }),
      );
      const describe = async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution!.status;
      assert.equal(await describe(), 'CREATE PENDING');
      // A version may be created at once (the getting-started notebook does): it waits in the queue.
      const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
      assert.equal(
        (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!.status,
        'CREATE PENDING',
      );
      assert.equal(
        (await errorOf(() => client.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining: false })))).name,
        'ResourceInUseException',
      );
      clock.advance(500);
      assert.equal(await describe(), 'CREATE IN_PROGRESS');
      clock.advance(500);
      assert.equal(await describe(), 'ACTIVE');
    } finally {
      await svc.close();
    }
  });

  it('updates automatic training and the events configuration through latestSolutionUpdate, applied once ACTIVE', async () => {
    const clock = testClock();
    const svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '1000' }, { now: clock.now, manualJobs: true });
    try {
      const client = svc.client();
      const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
      clock.advance(1000);
      const { solutionArn } = await client.send(
        new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: RECIPE('aws-user-personalization-v2') }),
      );
      clock.advance(1000);
      const eventsConfig = { eventParametersList: [{ eventType: 'purchase', weight: 1 }] };
      const autoTrainingConfig = { schedulingExpression: 'rate(1 day)' };
      await client.send(
        new UpdateSolutionCommand({ solutionArn, performAutoTraining: false, solutionUpdateConfig: { autoTrainingConfig, eventsConfig } }),
      );
      const read = async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution!;
      const pending = await read();
      assert.deepEqual([pending.status, pending.latestSolutionUpdate?.status], ['ACTIVE', 'CREATE PENDING']);
      // The old configuration applies until the update is ACTIVE; no second update meanwhile, no delete.
      assert.equal(pending.performAutoTraining, true);
      assert.equal(pending.solutionConfig, undefined);
      assert.equal(
        (await errorOf(() => client.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining: true })))).name,
        'ResourceInUseException',
      );
      assert.equal((await errorOf(() => client.send(new DeleteSolutionCommand({ solutionArn })))).name, 'ResourceInUseException');
      // Versions can still be created meanwhile (rule 40).
      await client.send(new CreateSolutionVersionCommand({ solutionArn }));
      clock.advance(500);
      assert.equal((await read()).latestSolutionUpdate?.status, 'CREATE IN_PROGRESS');
      clock.advance(500);
      const done = await read();
      assert.equal(done.latestSolutionUpdate?.status, 'ACTIVE');
      assert.equal(done.performAutoTraining, false);
      assert.deepEqual(done.solutionConfig, { autoTrainingConfig, eventsConfig });
      assert.deepEqual(done.latestSolutionUpdate!.solutionUpdateConfig, { autoTrainingConfig, eventsConfig });
      assert.equal(done.latestSolutionUpdate!.performAutoTraining, false);
      assert.ok(done.latestSolutionUpdate!.lastUpdatedDateTime! > done.latestSolutionUpdate!.creationDateTime!);
      await client.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining: true }));
    } finally {
      await svc.close();
    }
  });

  it('at most 10 solutions per dataset group and 20 unfinished versions per account and region (OPENPERSONALIZE_QUOTAS=aws)', async () => {
    const svc = await startTestService({ OPENPERSONALIZE_QUOTAS: 'aws' }, { manualJobs: true });
    try {
      const client = svc.client();
      const datasetGroupArn = await activeGroup(client);
      const arns: string[] = [];
      for (let i = 0; i < 10; i++) {
        arns.push(
          (await client.send(new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY }))).solutionArn!,
        );
      }
      const e = await errorOf(() =>
        client.send(new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY })),
      );
      assert.equal(e.name, 'LimitExceededException');
      assert.equal(e.message, 'Cannot create a solution. More than 10 resources in ACTIVE state. Please delete some and try again.');
      await client.send(
        new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn: await activeGroup(client), recipeArn: POPULARITY }),
      );
      await waitFor(async () => (await client.send(new DescribeSolutionCommand({ solutionArn: arns[9] }))).solution?.status === 'ACTIVE');
      const versions: string[] = [];
      for (let i = 0; i < 20; i++)
        versions.push((await client.send(new CreateSolutionVersionCommand({ solutionArn: arns[i % 10] }))).solutionVersionArn!);
      const full = await errorOf(() => client.send(new CreateSolutionVersionCommand({ solutionArn: arns[0] })));
      assert.equal(full.name, 'LimitExceededException');
      // A stopped version no longer counts.
      await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: versions[0] }));
      await client.send(new CreateSolutionVersionCommand({ solutionArn: arns[0] }));
      await svc.runner.drain();
    } finally {
      await svc.close();
    }
  });
});
