// The batch cells of AWS's sample notebook next_steps/core_use_cases/batch_recommendations/
// user_personalization_batch_recommendations_example.ipynb, its boto3 code as written, run by the
// machine's python3 against the service (test/api/boto3_notebook_batch_recommendations.py): the
// Last.FM tagging data imported, an aws-user-personalization version trained, a batch inference
// job over three users' JSON Lines file with the bucket's root as the output path, and the
// notebook's reading of `json_input.json.out` into artist names. Asserted here: what the script
// saw, and that each output line is what GetRecommendations answers for its user on a campaign of
// the same version without exploration (the job uses the default exploration, so its lists may
// differ from that in their explored places only).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { runNotebook } from '../testkit/python-notebook.ts';
import { activeCampaign, runtimeClient } from '../testkit/serving-fixtures.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

const ACCOUNT = '210000000012';

describe("AWS's batch recommendations notebook, batch cells as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('user_personalization_batch_recommendations_example: three users’ recommendations in json_input.json.out, read back as artists', async () => {
    const s = await runNotebook<{
      datasetGroup: string;
      datasetImportJob: string;
      version: string;
      solutionVersionArn: string;
      batchUsers: string[];
      job: Record<string, unknown>;
      statuses: string[];
      bucketObjects: string[];
      outputLines: string[];
      bulkRecommendations: Record<string, string[]>;
      taggedArtists: string[];
      listed: Record<string, string[]>;
    }>(svc, 'boto3_notebook_batch_recommendations.py', ACCOUNT, scratchRoot, 120_000);
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.equal(s.datasetImportJob, 'ACTIVE');
    assert.equal(s.version, 'ACTIVE');
    const bucket = s.job.jobInput as { s3DataSource: { path: string } };
    assert.deepEqual(s.job, {
      jobName: 'Batch-Inference-Job',
      batchInferenceJobArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:batch-inference-job/Batch-Inference-Job`,
      status: 'ACTIVE',
      numResults: 25,
      solutionVersionArn: s.solutionVersionArn,
      jobInput: { s3DataSource: { path: bucket.s3DataSource.path } },
      jobOutput: { s3DataDestination: { path: bucket.s3DataSource.path.replace(/json_input\.json$/, '') } },
      roleArn: 'arn:aws:iam::000000000000:role/PersonalizeRoleBatchRecommendations',
      batchInferenceJobMode: 'BATCH_INFERENCE',
      failureReason: null,
    });
    assert.equal(s.statuses.at(-1), 'ACTIVE');
    assert.ok(
      s.statuses.every((x) => ['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(x)),
      s.statuses.join(),
    );
    // The output path is the bucket's root: the .out lands beside the input (and the interactions file).
    assert.deepEqual(s.bucketObjects, ['interactions.csv', 'json_input.json', 'json_input.json.out']);
    assert.equal(s.outputLines.length, 3);
    // The notebook's frame: one column of 25 artist names per user, every one a tagged artist.
    assert.deepEqual(
      Object.keys(s.bulkRecommendations),
      [...new Set(s.batchUsers)].map((u) => `User: ${u}`),
    );
    for (const names of Object.values(s.bulkRecommendations)) {
      assert.equal(names.length, 25);
      assert.ok(names.every((n) => n !== 'Error obtaining artist'));
    }
    // Each line: the observed compact form, and the model's answer for the user (GetRecommendations on
    // a campaign of the same version, no exploration) at every place the job's exploration did not take.
    const runtime = runtimeClient(svc, { accessKeyId: ACCOUNT });
    const campaignArn = await activeCampaign(svc.client({ accessKeyId: ACCOUNT }), s.solutionVersionArn, {
      itemExplorationConfig: { explorationWeight: '0' },
    });
    for (const [i, text] of s.outputLines.entries()) {
      assert.match(
        text,
        /^\{"input":\{"userId":"\d+"\},"output":\{"recommendedItems":\[("\d+",?){25}\],"scores":\[[^\]]+\]\},"error":null\}$/,
      );
      const line = JSON.parse(text) as { input: { userId: string }; output: { recommendedItems: string[]; scores: number[] } };
      assert.equal(line.input.userId, s.batchUsers[i]);
      assert.ok(line.output.recommendedItems.every((id) => s.taggedArtists.includes(id)));
      const model = (await runtime.send(new GetRecommendationsCommand({ campaignArn, userId: line.input.userId }))).itemList!;
      const modelIds = model.map((x) => x.itemId!);
      const kept = line.output.recommendedItems.filter((id) => modelIds.includes(id));
      // Exploration takes round(0.3 × 25) = 8 places at most; the model's items keep their order.
      assert.ok(kept.length >= 17, `${kept.length} of the model's items`);
      assert.deepEqual(kept, modelIds.slice(0, kept.length));
    }
    assert.ok(s.listed.solutions.some((arn) => arn.endsWith('/personalize-batch-recommendations-user-personalization')));
  });
});
