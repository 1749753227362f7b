// Campaigns through the AWS SDK (training-rules.md §5, §11): CreateCampaign, DescribeCampaign,
// ListCampaigns, UpdateCampaign, DeleteCampaign with their timed states, errors, quota, tags,
// paging and isolation; `$LATEST` with and without sync; DeleteSolution refused while a campaign
// uses the solution; and UpdateCampaign while a client keeps requesting: every answer comes from
// the old or the new model, never an error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateCampaignCommand,
  CreateSolutionVersionCommand,
  DeleteCampaignCommand,
  DeleteSolutionCommand,
  DescribeCampaignCommand,
  ListCampaignsCommand,
  ListTagsForResourceCommand,
  UpdateCampaignCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand, type PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import {
  activeCampaign,
  activeSolution,
  campaignActive,
  importRows,
  runtimeClient,
  servingRows,
  trainedVersion,
} from '../testkit/serving-fixtures.ts';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';

describe('campaigns', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let bucket: Bucket;
  let datasetGroupArn: string;
  let datasetArn: string;
  /** A Popularity-Count solution with one ACTIVE version. */
  let solutionArn: string;
  let versionArn: string;
  const rows = servingRows({ users: 90 }).rows;

  before(async () => {
    // 400 ms from CREATE PENDING to ACTIVE (the harness's 60 ms is too short to read an update while it is pending on a busy machine).
    svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '400' }, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    bucket = localBucket(svc.dataDir);
    ({ datasetGroupArn, datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions'));
    await importRows(svc, client, bucket, datasetArn, INTERACTIONS_HEADER_4, rows);
    solutionArn = await activeSolution(client, datasetGroupArn, 'aws-popularity-count');
    versionArn = await trainedVersion(svc, client, solutionArn);
  });
  after(() => svc.close());

  const describeCampaign = async (campaignArn: string) => (await client.send(new DescribeCampaignCommand({ campaignArn }))).campaign!;
  const topItem = async (campaignArn: string) =>
    (await runtime.send(new GetRecommendationsCommand({ campaignArn, numResults: 1 }))).itemList![0].itemId;

  it('CreateCampaign: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE, showing what was given, with its tags', async () => {
    const name = uniqueName('camp');
    const campaignConfig = { itemExplorationConfig: { explorationWeight: '0.5', explorationItemAgeCutOff: '7' } };
    const { campaignArn } = await client.send(
      new CreateCampaignCommand({ name, solutionVersionArn: versionArn, campaignConfig, tags: [{ tagKey: 'team', tagValue: 'recs' }] }),
    );
    assert.equal(campaignArn, `arn:aws:personalize:us-east-1:000000000000:campaign/${name}`);
    const seen = new Set<string>();
    await waitFor(async () => {
      const status = (await describeCampaign(campaignArn!)).status!;
      seen.add(status);
      return status === 'ACTIVE';
    }, 10_000);
    assert.ok(
      [...seen].every((s) => ['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(s)),
      [...seen].join(', '),
    );
    const c = await describeCampaign(campaignArn!);
    assert.deepEqual(
      {
        name: c.name,
        campaignArn: c.campaignArn,
        solutionVersionArn: c.solutionVersionArn,
        tps: c.minProvisionedTPS,
        config: c.campaignConfig,
      },
      { name, campaignArn, solutionVersionArn: versionArn, tps: 1, config: campaignConfig },
    );
    assert.ok(c.creationDateTime instanceof Date && c.lastUpdatedDateTime! >= c.creationDateTime);
    assert.equal('latestCampaignUpdate' in c, false, 'only after an UpdateCampaign (rule 66)');
    assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: campaignArn }))).tags, [
      { tagKey: 'team', tagValue: 'recs' },
    ]);
    const again = await errorOf(() => client.send(new CreateCampaignCommand({ name, solutionVersionArn: versionArn })));
    assert.equal(again.name, 'ResourceAlreadyExistsException');
    await client.send(new DeleteCampaignCommand({ campaignArn }));
  });

  it('CreateCampaign errors: unknown version, version not ACTIVE, bad configuration, not deployable', async () => {
    const unknown = await errorOf(() =>
      client.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: `${solutionArn}/0000beef` })),
    );
    assert.equal(unknown.name, 'ResourceNotFoundException');
    // A version still queued for training.
    const { solutionVersionArn: pending } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
    const notActive = await errorOf(() => client.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: pending })));
    assert.equal(notActive.name, 'ResourceInUseException');
    assert.match(notActive.message, /CREATE PENDING/);
    await svc.runner.drain();
    const sync = await errorOf(() =>
      client.send(
        new CreateCampaignCommand({
          name: uniqueName('c'),
          solutionVersionArn: versionArn,
          campaignConfig: { syncWithLatestSolutionVersion: true },
        }),
      ),
    );
    assert.equal(sync.name, 'InvalidInputException');
    assert.match(sync.message, /\$LATEST/);
    const badConfigs: Record<string, string>[] = [{ explorationWeight: '1.5' }, { explorationWeight: 'lots' }, { somethingElse: '1' }];
    for (const itemExplorationConfig of badConfigs) {
      const bad = await errorOf(() =>
        client.send(
          new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: versionArn, campaignConfig: { itemExplorationConfig } }),
        ),
      );
      assert.equal(bad.name, 'InvalidInputException', JSON.stringify(itemExplorationConfig));
    }
    const tps = await errorOf(() =>
      client.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: versionArn, minProvisionedTPS: 0 })),
    );
    assert.equal(tps.name, 'ValidationException');
    const segmentation = await trainedVersion(svc, client, await activeSolution(client, datasetGroupArn, 'aws-item-affinity'));
    const notDeployable = await errorOf(() =>
      client.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: segmentation })),
    );
    assert.equal(notDeployable.name, 'InvalidInputException');
    assert.match(notDeployable.message, /USER_SEGMENTATION/);
  });

  it('$LATEST: without sync the newest ACTIVE version is deployed; with sync the campaign follows each new version', async () => {
    const solution = await activeSolution(client, datasetGroupArn, 'aws-popularity-count');
    const none = await errorOf(() =>
      client.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: `${solution}/$LATEST` })),
    );
    assert.equal(none.name, 'ResourceInUseException');
    const first = await trainedVersion(svc, client, solution);
    const fixed = await activeCampaign(client, `${solution}/$LATEST`);
    assert.equal((await describeCampaign(fixed)).solutionVersionArn, first);
    const synced = await activeCampaign(client, `${solution}/$LATEST`, { syncWithLatestSolutionVersion: true });
    assert.equal((await describeCampaign(synced)).solutionVersionArn, `${solution}/$LATEST`);
    assert.equal(await topItem(synced), await topItem(fixed));
    // New data with a new most popular item, and a new version trained on it.
    await importRows(svc, client, bucket, datasetArn, INTERACTIONS_HEADER_4, [
      ...rows,
      ...Array.from({ length: 200 }, (_, i) => `new-user-${i},z-new,${1_800_000_000 + i},click`),
    ]);
    await trainedVersion(svc, client, solution);
    await waitFor(async () => (await topItem(synced)) === 'z-new', 5000, 'the synced campaign serving the new version');
    assert.notEqual(await topItem(fixed), 'z-new', 'a campaign without sync keeps its version');
    assert.equal((await describeCampaign(fixed)).solutionVersionArn, first);
    for (const c of [fixed, synced]) await client.send(new DeleteCampaignCommand({ campaignArn: c }));
    await importRows(svc, client, bucket, datasetArn, INTERACTIONS_HEADER_4, rows);
  });

  it('UpdateCampaign: latestCampaignUpdate moves to ACTIVE, then the new deployment applies; its errors', async () => {
    const campaignArn = await activeCampaign(client, versionArn);
    const second = await trainedVersion(svc, client, solutionArn);
    const nothing = await errorOf(() => client.send(new UpdateCampaignCommand({ campaignArn })));
    assert.equal(nothing.name, 'InvalidInputException');
    const other = await trainedVersion(svc, client, await activeSolution(client, datasetGroupArn, 'aws-popularity-count'));
    const otherSolution = await errorOf(() => client.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: other })));
    assert.equal(otherSolution.name, 'InvalidInputException');
    await client.send(
      new UpdateCampaignCommand({
        campaignArn,
        solutionVersionArn: second,
        minProvisionedTPS: 3,
        campaignConfig: { enableMetadataWithRecommendations: true },
      }),
    );
    const pending = await describeCampaign(campaignArn);
    assert.equal(pending.status, 'ACTIVE');
    assert.ok(
      ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(pending.latestCampaignUpdate!.status!),
      pending.latestCampaignUpdate!.status,
    );
    assert.equal(pending.solutionVersionArn, versionArn, 'the old deployment serves until the update is ACTIVE');
    assert.equal(pending.latestCampaignUpdate!.solutionVersionArn, second);
    const twice = await errorOf(() => client.send(new UpdateCampaignCommand({ campaignArn, minProvisionedTPS: 2 })));
    assert.equal(twice.name, 'ResourceInUseException');
    const done = await campaignActive(client, campaignArn);
    assert.deepEqual(
      { v: done.solutionVersionArn, tps: done.minProvisionedTPS, config: done.campaignConfig },
      { v: second, tps: 3, config: { enableMetadataWithRecommendations: true } },
    );
    assert.deepEqual(
      {
        v: done.latestCampaignUpdate!.solutionVersionArn,
        tps: done.latestCampaignUpdate!.minProvisionedTPS,
        status: done.latestCampaignUpdate!.status,
      },
      { v: second, tps: 3, status: 'ACTIVE' },
    );
    // Only the TPS changes: version and configuration stay.
    await client.send(new UpdateCampaignCommand({ campaignArn, minProvisionedTPS: 5 }));
    const tpsOnly = await campaignActive(client, campaignArn);
    assert.deepEqual([tpsOnly.solutionVersionArn, tpsOnly.minProvisionedTPS, tpsOnly.campaignConfig], [second, 5, done.campaignConfig]);
    await client.send(new DeleteCampaignCommand({ campaignArn }));
    const gone = await errorOf(() => client.send(new UpdateCampaignCommand({ campaignArn, minProvisionedTPS: 2 })));
    assert.equal(gone.name, 'ResourceNotFoundException');
  });

  it('UpdateCampaign while a client keeps requesting: every request is answered, by the old model and then the new one', async () => {
    const solution = await activeSolution(client, datasetGroupArn, 'aws-popularity-count');
    const v1 = await trainedVersion(svc, client, solution);
    const campaignArn = await activeCampaign(client, v1);
    const oldTop = await topItem(campaignArn);
    await importRows(svc, client, bucket, datasetArn, INTERACTIONS_HEADER_4, [
      ...rows,
      ...Array.from({ length: 200 }, (_, i) => `fan-${i},z-hit,${1_800_000_000 + i},click`),
    ]);
    const v2 = await trainedVersion(svc, client, solution);
    let stop = false;
    const answers: string[] = [];
    const errors: unknown[] = [];
    const clients = Array.from({ length: 4 }, async () => {
      while (!stop) {
        try {
          answers.push((await topItem(campaignArn))!);
        } catch (e) {
          errors.push(e);
        }
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    await client.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: v2 }));
    await campaignActive(client, campaignArn);
    await waitFor(async () => answers.at(-1) === 'z-hit', 5000, 'the new model answering');
    stop = true;
    await Promise.all(clients);
    assert.deepEqual(errors, []);
    assert.ok(answers.length > 20, `${answers.length} answers`);
    assert.deepEqual(new Set(answers), new Set([oldTop, 'z-hit']), 'only the old and the new model answer');
    assert.equal(answers[0], oldTop);
    await client.send(new DeleteCampaignCommand({ campaignArn }));
    await importRows(svc, client, bucket, datasetArn, INTERACTIONS_HEADER_4, rows);
  });

  it('DeleteCampaign: refused while it is being created, then gone for the control plane and the runtime', async () => {
    const { campaignArn } = await client.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: versionArn }));
    const creating = await errorOf(() => client.send(new DeleteCampaignCommand({ campaignArn })));
    assert.equal(creating.name, 'ResourceInUseException');
    await campaignActive(client, campaignArn!);
    assert.ok(await topItem(campaignArn!));
    await client.send(new DeleteCampaignCommand({ campaignArn }));
    assert.equal((await errorOf(() => describeCampaign(campaignArn!))).name, 'ResourceNotFoundException');
    const runtimeGone = await errorOf(() => topItem(campaignArn!));
    assert.equal(runtimeGone.name, 'ResourceNotFoundException');
    assert.equal(runtimeGone.$metadata?.httpStatusCode, 404);
    assert.equal((await errorOf(() => client.send(new DeleteCampaignCommand({ campaignArn })))).name, 'ResourceNotFoundException');
  });

  it('DeleteSolution is refused while a campaign uses the solution', async () => {
    const solution = await activeSolution(client, datasetGroupArn, 'aws-popularity-count');
    const campaignArn = await activeCampaign(client, await trainedVersion(svc, client, solution));
    const refused = await errorOf(() => client.send(new DeleteSolutionCommand({ solutionArn: solution })));
    assert.equal(refused.name, 'ResourceInUseException');
    assert.match(refused.message, /campaign/);
    await client.send(new DeleteCampaignCommand({ campaignArn }));
    await client.send(new DeleteSolutionCommand({ solutionArn: solution }));
  });

  it('ListCampaigns: by solution or all, newest first, paged; other accounts and regions see nothing', async () => {
    const solution = await activeSolution(client, datasetGroupArn, 'aws-popularity-count');
    const version = await trainedVersion(svc, client, solution);
    const made = [await activeCampaign(client, version), await activeCampaign(client, version), await activeCampaign(client, version)];
    const listed = (await client.send(new ListCampaignsCommand({ solutionArn: solution }))).campaigns!;
    assert.deepEqual(
      listed.map((c) => c.campaignArn),
      [...made].reverse(),
    );
    assert.deepEqual(Object.keys(listed[0]).sort(), ['campaignArn', 'creationDateTime', 'lastUpdatedDateTime', 'name', 'status']);
    const page1 = await client.send(new ListCampaignsCommand({ solutionArn: solution, maxResults: 2 }));
    const page2 = await client.send(new ListCampaignsCommand({ solutionArn: solution, maxResults: 2, nextToken: page1.nextToken }));
    assert.deepEqual(
      [...page1.campaigns!, ...page2.campaigns!].map((c) => c.campaignArn),
      [...made].reverse(),
    );
    assert.equal(page2.nextToken, undefined);
    const all = (await client.send(new ListCampaignsCommand({}))).campaigns!.map((c) => c.campaignArn);
    assert.ok(made.every((c) => all.includes(c)));
    assert.deepEqual((await client.send(new ListCampaignsCommand({ solutionArn: `${solution}-none` }))).campaigns, []);
    const otherAccount = svc.client({ accessKeyId: '123456789012' });
    assert.deepEqual((await otherAccount.send(new ListCampaignsCommand({}))).campaigns, []);
    assert.equal(
      (await errorOf(() => otherAccount.send(new DescribeCampaignCommand({ campaignArn: made[0] })))).name,
      'ResourceNotFoundException',
    );
    assert.deepEqual((await svc.client({ region: 'eu-west-1' }).send(new ListCampaignsCommand({}))).campaigns, []);
    const badToken = await errorOf(() => client.send(new ListCampaignsCommand({ nextToken: page1.nextToken })));
    assert.equal(badToken.name, 'InvalidNextTokenException');
    for (const c of made) await client.send(new DeleteCampaignCommand({ campaignArn: c }));
  });
});

describe('campaigns: the quota of 5 per dataset group (OPENPERSONALIZE_QUOTAS=aws)', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_QUOTAS: 'aws' }, { manualJobs: true });
  });
  after(() => svc.close());

  it("the sixth campaign of a group is LimitExceededException with AWS's text", async () => {
    const client = svc.client();
    const { datasetGroupArn, datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    await importRows(svc, client, localBucket(svc.dataDir), datasetArn, INTERACTIONS_HEADER_4, servingRows({ users: 90 }).rows);
    const version = await trainedVersion(svc, client, await activeSolution(client, datasetGroupArn, 'aws-popularity-count'));
    for (let i = 0; i < 5; i++) await client.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: version }));
    const sixth = await errorOf(() => client.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: version })));
    assert.equal(sixth.name, 'LimitExceededException');
    assert.equal(sixth.message, 'Cannot create a campaign. More than 5 resources in ACTIVE state. Please delete some and try again.');
  });
});
