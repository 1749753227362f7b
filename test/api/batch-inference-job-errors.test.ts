// The errors of CreateBatchInferenceJob / DescribeBatchInferenceJob through
// @aws-sdk/client-personalize over HTTP (training-rules.md rules 97, 109, 115, 116, §11): unknown
// or busy resources, taken names, recipes and modes a batch job cannot use, bad numbers, the quota
// of 5 pending jobs (OPENPERSONALIZE_QUOTAS=aws), input problems as the job's failureReason with
// AWS's texts, and DeleteFilter refused while a job uses the filter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBatchInferenceJobCommand,
  CreateSolutionVersionCommand,
  DeleteFilterCommand,
  DescribeBatchInferenceJobCommand,
  type CreateBatchInferenceJobCommandInput,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { activeFilter, batchGroup, genreOf, jsonLines, outLines, ROLE_ARN, runInferenceJob } from '../testkit/batch-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';

const RECIPES = { user: 'aws-user-personalization', popularity: 'aws-popularity-count', similar: 'aws-similar-items' };

describe('batch inference jobs: errors and failures', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let bucket: Bucket;
  let datasetGroupArn: string;
  let versions: Record<keyof typeof RECIPES, string>;
  let excludeGenres: string;

  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_QUOTAS: 'aws' }, { manualJobs: true });
    client = svc.client();
    bucket = localBucket(svc.dataDir);
    ({ datasetGroupArn, versions } = await batchGroup(svc, client, bucket, RECIPES));
    excludeGenres = await activeFilter(client, datasetGroupArn, 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)');
    await bucket.put('up/users.json', jsonLines([{ userId: 'u1' }]));
  });
  after(() => svc.close());

  const path = (key: string) => `s3://${bucket.name}/${key}`;
  const job = (
    input: Omit<CreateBatchInferenceJobCommandInput, 'jobName' | 'roleArn' | 'jobInput' | 'jobOutput'>,
    inKey: string,
    outKey: string,
  ) =>
    runInferenceJob(svc, client, {
      ...input,
      jobInput: { s3DataSource: { path: path(inKey) } },
      jobOutput: { s3DataDestination: { path: path(outKey) } },
    });

  it("input problems fail the job with AWS's failureReason texts", async () => {
    const missing = await job({ solutionVersionArn: versions.popularity }, 'no/such/file.json', 'x-out/');
    assert.equal(missing.status, 'CREATE FAILED');
    assert.match(missing.failureReason!, /^Invalid S3 input path\. No object matches s3:\/\/.+\/no\/such\/file\.json\.$/);
    const noBucket = await runInferenceJob(svc, client, {
      solutionVersionArn: versions.popularity,
      jobInput: { s3DataSource: { path: 's3://no-such-bucket-here/in.json' } },
      jobOutput: { s3DataDestination: { path: path('x-out/') } },
    });
    assert.match(noBucket.failureReason!, /^Invalid S3 input path\. The bucket of s3:\/\/no-such-bucket-here\/in\.json does not exist\.$/);
    await bucket.put('same/in.json', jsonLines([{ userId: 'u1' }]));
    const same = await job({ solutionVersionArn: versions.popularity }, 'same/', 'same');
    assert.match(same.failureReason!, /^Invalid S3 output path\. The output path must differ from the input path/);
    const noOut = await runInferenceJob(svc, client, {
      solutionVersionArn: versions.popularity,
      jobInput: { s3DataSource: { path: path('same/in.json') } },
      jobOutput: { s3DataDestination: { path: 's3://no-such-output-bucket/out/' } },
    });
    assert.match(noOut.failureReason!, /^Invalid S3 output path\. The bucket of s3:\/\/no-such-output-bucket\/out\/ does not exist\.$/);
  });

  it('CreateBatchInferenceJob errors: unknown or busy resources, taken names, wrong recipe or mode, bad numbers, the quota', async () => {
    const base = {
      jobName: uniqueName('bij'),
      roleArn: ROLE_ARN,
      solutionVersionArn: versions.user,
      jobInput: { s3DataSource: { path: path('up/users.json') } },
      jobOutput: { s3DataDestination: { path: path('err-out/') } },
    };
    const create = (o: Partial<CreateBatchInferenceJobCommandInput>) =>
      client.send(new CreateBatchInferenceJobCommand({ ...base, jobName: uniqueName('bij'), ...o }));
    const expect = async (o: Partial<CreateBatchInferenceJobCommandInput>, name: string, message: RegExp) => {
      const e = await errorOf(() => create(o));
      assert.equal(e.name, name, e.message);
      assert.match(e.message, message);
    };
    const unknownVersion = versions.user.replace(/\/[0-9a-f]{8}$/, '/00000000');
    await expect({ solutionVersionArn: unknownVersion }, 'ResourceNotFoundException', /solution version/);
    await expect({ filterArn: excludeGenres.replace(/filter\/.*/, 'filter/none') }, 'ResourceNotFoundException', /filter/);
    await expect({ numResults: 501 }, 'InvalidInputException', /numResults is 501/);
    await expect({ numResults: -1 }, 'InvalidInputException', /numResults is -1/);
    await expect(
      { batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '2' } } },
      'InvalidInputException',
      /explorationWeight/,
    );
    await expect(
      { batchInferenceJobMode: 'THEME_GENERATION', themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } } },
      'InvalidInputException',
      /Similar-Items/,
    );
    await expect({ solutionVersionArn: versions.similar, batchInferenceJobMode: 'THEME_GENERATION' }, 'InvalidInputException', /itemName/);
    await expect(
      {
        solutionVersionArn: versions.similar,
        batchInferenceJobMode: 'THEME_GENERATION',
        themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'NAME' } },
      },
      'InvalidInputException',
      /not a string column of the Items dataset \(its string columns: ITEM_ID, GENRES, TITLE, DESCRIPTION\)/,
    );
    await expect(
      { themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } } },
      'InvalidInputException',
      /only with batchInferenceJobMode THEME_GENERATION/,
    );
    const userFilter = await activeFilter(client, datasetGroupArn, 'INCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("click")');
    await expect({ filterArn: userFilter }, 'InvalidInputException', /item recommendations need an ItemID filter/);
    const pendingVersion = (
      await client.send(new CreateSolutionVersionCommand({ solutionArn: versions.popularity.replace(/\/[0-9a-f]{8}$/, '') }))
    ).solutionVersionArn!;
    await expect({ solutionVersionArn: pendingVersion }, 'ResourceInUseException', /CREATE PENDING/);
    const taken = uniqueName('bij');
    await create({ jobName: taken });
    await expect({ jobName: taken }, 'ResourceAlreadyExistsException', /already exists/);
    // Quota (aws mode): 5 pending or in progress per region; `taken` is one.
    for (let k = 0; k < 4; k++) await create({});
    await expect({}, 'LimitExceededException', /^More than 5 resources with PENDING or IN_PROGRESS status\.$/);
    await svc.runner.drain();
    const { batchInferenceJobArn } = await create({});
    assert.ok(batchInferenceJobArn, 'room again once they ended');
    await svc.runner.drain();
  });

  it('DeleteFilter refuses while a batch inference job using the filter is pending, and deletes it once the job ended', async () => {
    const filterArn = await activeFilter(client, datasetGroupArn, 'EXCLUDE ItemID WHERE Items.GENRES IN ("Documentary")');
    await bucket.put('del/in.json', jsonLines([{ userId: 'u5' }]));
    const { batchInferenceJobArn } = await client.send(
      new CreateBatchInferenceJobCommand({
        jobName: uniqueName('bij'),
        roleArn: ROLE_ARN,
        solutionVersionArn: versions.user,
        filterArn,
        jobInput: { s3DataSource: { path: path('del/in.json') } },
        jobOutput: { s3DataDestination: { path: path('del-out/') } },
      }),
    );
    assert.equal(
      (await client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn }))).batchInferenceJob!.status,
      'CREATE PENDING',
    );
    const e = await errorOf(() => client.send(new DeleteFilterCommand({ filterArn })));
    assert.equal(e.name, 'ResourceInUseException');
    assert.match(e.message, new RegExp(`used by the batch job ${batchInferenceJobArn}`));
    await svc.runner.drain();
    const done = (await client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn }))).batchInferenceJob!;
    assert.equal(done.status, 'ACTIVE', done.failureReason);
    assert.ok((await outLines(bucket, 'del-out/in.json.out'))[0].output!.recommendedItems!.every((id) => genreOf(id) !== 'Documentary'));
    await client.send(new DeleteFilterCommand({ filterArn }));
  });
});
