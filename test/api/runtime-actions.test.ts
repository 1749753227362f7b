// aws-next-best-action and GetActionRecommendations through the AWS SDKs over HTTP
// (training-rules.md §1.3, rule 19, §7.3 rule 91, §8, §10): a version trained on planted action
// sequences (whoever takes the first action of a pair takes the second within hours) answers the
// second right after a PutActionInteractions of the first; scores are propensities in [0, 1] for
// qualified actions and 0.0 for exploration; expired actions and actions inside their repeat
// frequency are left out; ActionID filters on Actions and on ActionInteractions apply; the
// operation's defaults, limits and errors are as the model declares them; a data deletion job
// makes a user the version trained on unknown.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDataDeletionJobCommand,
  CreateFilterCommand,
  DescribeDataDeletionJobCommand,
  DescribeDatasetCommand,
  DescribeFilterCommand,
  GetSolutionMetricsCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PutActionInteractionsCommand, type PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import {
  GetActionRecommendationsCommand,
  GetRecommendationsCommand,
  type GetActionRecommendationsCommandInput,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { activeCampaign, activeSolution, importRows, runtimeClient, trainedVersion } from '../testkit/serving-fixtures.ts';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { ACTIONS, actionRows, PAIRS } from '../training/action-synthetic.ts';

const RID = /^RID-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const actionsSchema = JSON.stringify({
  type: 'record',
  name: 'Actions',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'ACTION_ID', type: 'string' },
    { name: 'CATEGORY', type: ['null', 'string'], categorical: true },
    { name: 'VALUE', type: ['null', 'long'] },
    { name: 'EXPIRATION_TIMESTAMP', type: ['null', 'long'] },
    { name: 'REPEAT_FREQUENCY', type: ['null', 'long'] },
  ],
});

describe('GetActionRecommendations: a Next-Best-Action campaign', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let events: PersonalizeEventsClient;
  let groupArn: string;
  let versionArn: string;
  let campaignArn: string;
  let trackingId: string;
  let bucket: Bucket;
  const data = actionRows();

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    events = eventsClient(svc);
    bucket = localBucket(svc.dataDir);
    groupArn = await activeGroup(client);
    const interactions = await datasetIn(client, groupArn, minimalSchemas.interactions, 'Interactions');
    const actions = await datasetIn(client, groupArn, actionsSchema, 'Actions');
    const actionInteractions = await datasetIn(client, groupArn, minimalSchemas.actionInteractions, 'Action_Interactions');
    await importRows(svc, client, bucket, interactions, INTERACTIONS_HEADER_4, data.interactions);
    // a0 may be recommended again 30 days after a user took it; "expired" expired in 1970; "fresh"
    // has no interactions (so no score: exploration only).
    const actionLines = ACTIONS.map((id, i) => `${id},cat${Math.floor(i / 2)},${i},,${id === 'a0' ? 30 : ''}`);
    actionLines.push('expired,cat9,100,1000,', 'fresh,cat9,1,,');
    await importRows(svc, client, bucket, actions, 'ACTION_ID,CATEGORY,VALUE,EXPIRATION_TIMESTAMP,REPEAT_FREQUENCY', actionLines);
    await importRows(svc, client, bucket, actionInteractions, 'USER_ID,ACTION_ID,EVENT_TYPE,TIMESTAMP', data.actionInteractions);
    versionArn = await trainedVersion(svc, client, await activeSolution(client, groupArn, 'aws-next-best-action'));
    campaignArn = await activeCampaign(client, versionArn);
    trackingId = (await client.send(new DescribeDatasetCommand({ datasetArn: actionInteractions }))).dataset!.trackingId!;
  });
  after(() => svc.close());

  const recommend = (input: Omit<GetActionRecommendationsCommandInput, 'campaignArn'> & { campaignArn?: string }) =>
    runtime.send(new GetActionRecommendationsCommand({ campaignArn, ...input }));
  const ids = (list: { actionId?: string }[] | undefined) => (list ?? []).map((a) => a.actionId!);
  const put = (userId: string, actionId: string, eventType: string) =>
    events.send(
      new PutActionInteractionsCommand({
        trackingId,
        actionInteractions: [{ userId, actionId, eventType, timestamp: new Date(), sessionId: `s-${userId}` }],
      }),
    );

  it('reports AWS’s action metrics: precision, recall, AUC and coverage', async () => {
    const { metrics } = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: versionArn }));
    assert.deepEqual(Object.keys(metrics!), ['auc', 'coverage', 'precision', 'recall']);
    for (const v of Object.values(metrics!)) assert.ok(v >= 0 && v <= 1, JSON.stringify(metrics));
    // The planted sequences are learnable: well above a coin toss.
    assert.ok(metrics!.auc > 0.7, JSON.stringify(metrics));
  });

  it('a user who takes the first action of a pair gets the second, the next answer after the PutActionInteractions', async () => {
    for (const [first, second] of PAIRS) {
      // A user of another pair: their habit comes first until they take `first`.
      const user = data.users.find((u) => PAIRS[data.pairOf.get(u)!][0] !== first)!;
      const before = await recommend({ userId: user });
      await put(user, first, 'TAKEN');
      const after = await recommend({ userId: user });
      assert.equal(after.actionList![0].actionId, second, `${user} took ${first}: ${JSON.stringify(after.actionList)}`);
      assert.notDeepEqual(after.actionList, before.actionList);
      const score = (list: typeof before.actionList, id: string) => list!.find((a) => a.actionId === id)?.score ?? 0;
      assert.ok(score(after.actionList, second) > score(before.actionList, second), `${second} became more likely`);
    }
    // A user the training never saw, after one taking.
    const newcomer = uniqueName('new');
    await put(newcomer, PAIRS[3][0], 'TAKEN');
    assert.equal((await recommend({ userId: newcomer })).actionList![0].actionId, PAIRS[3][1]);
  });

  it('returns 5 actions by default, at most 100, sorted by score in [0, 1], exploration last with 0.0', async () => {
    const r = await recommend({ userId: 'u3' });
    assert.match(r.recommendationId!, RID);
    assert.equal(r.actionList!.length, 5);
    assert.equal((await recommend({ userId: 'u3', numResults: 0 })).actionList!.length, 5);
    assert.equal((await recommend({ userId: 'u3', numResults: 2 })).actionList!.length, 2);
    const all = (await recommend({ userId: 'u3', numResults: 100 })).actionList!;
    // Every action but the expired one.
    assert.deepEqual(ids(all).sort(), [...ACTIONS, 'fresh'].sort());
    for (let k = 1; k < all.length; k++) assert.ok(all[k].score! <= all[k - 1].score!, JSON.stringify(all));
    for (const a of all) assert.ok(a.score! >= 0 && a.score! <= 1 && Math.round(a.score! * 1e7) / 1e7 === a.score);
    // "fresh" has no interactions: recommended through exploration only, with score 0.0.
    assert.equal(all.find((a) => a.actionId === 'fresh')!.score, 0);
    assert.ok(
      all.filter((a) => a.actionId !== 'fresh').every((a) => a.score! > 0),
      'the trained actions qualify (rule 19)',
    );
    assert.ok(ids(r.actionList).includes('fresh'), `exploration takes a place of five: ${ids(r.actionList)}`);
    // A user nobody knows still gets actions.
    assert.equal((await recommend({ userId: uniqueName('nobody') })).actionList!.length, 5);
  });

  it('leaves out an action the user took within its REPEAT_FREQUENCY days', async () => {
    const user = uniqueName('repeat');
    await put(user, 'a1', 'TAKEN');
    assert.equal((await recommend({ userId: user })).actionList![0].actionId, 'a0');
    await put(user, 'a0', 'TAKEN');
    const after = ids((await recommend({ userId: user, numResults: 100 })).actionList);
    assert.ok(!after.includes('a0'), `a0 (repeat frequency 30 days) was just taken: ${after}`);
    assert.ok(after.includes('a1'), 'actions without a repeat frequency come back');
  });

  it('applies ActionID filters on Actions metadata and on the user’s action interactions, put ones included', async () => {
    const activeFilter = async (filterExpression: string) => {
      const { filterArn } = await client.send(
        new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn: groupArn, filterExpression }),
      );
      await waitFor(async () => (await client.send(new DescribeFilterCommand({ filterArn }))).filter?.status === 'ACTIVE');
      return filterArn!;
    };
    const byCategory = await activeFilter('EXCLUDE ActionID WHERE Actions.CATEGORY IN ($CATS)');
    const r = await recommend({ userId: 'u0', numResults: 100, filterArn: byCategory, filterValues: { CATS: '"cat0","cat1"' } });
    assert.deepEqual(new Set(ids(r.actionList)), new Set(['a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'fresh']));
    // Filtered before the cut: five actions still.
    assert.equal((await recommend({ userId: 'u0', filterArn: byCategory, filterValues: { CATS: '"cat0"' } })).actionList!.length, 5);

    const refused = await activeFilter('EXCLUDE ActionID WHERE ActionInteractions.EVENT_TYPE IN ("NOT_TAKEN")');
    const user = uniqueName('refuser');
    const top = ids((await recommend({ userId: user, filterArn: refused })).actionList)[0];
    await put(user, top, 'NOT_TAKEN');
    assert.ok(!ids((await recommend({ userId: user, numResults: 100, filterArn: refused })).actionList).includes(top));

    const itemFilter = await activeFilter('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")');
    const wrong = await errorOf(() => recommend({ userId: 'u0', filterArn: itemFilter }));
    assert.equal(wrong.name, 'InvalidInputException');
    assert.match(wrong.message, /ActionID/);
  });

  it('answers errors as the model declares them', async () => {
    const cases: [string, () => Promise<unknown>, string, number, RegExp][] = [
      ['numResults over 100', () => recommend({ userId: 'u0', numResults: 101 }), 'InvalidInputException', 400, /numResults.*100/],
      ['no userId', () => recommend({}), 'InvalidInputException', 400, /userId/],
      [
        'no campaignArn',
        () => runtime.send(new GetActionRecommendationsCommand({ userId: 'u0' })),
        'InvalidInputException',
        400,
        /campaignArn/,
      ],
      [
        'an unknown campaign',
        () => recommend({ campaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/none', userId: 'u0' }),
        'ResourceNotFoundException',
        404,
        /campaign\/none/,
      ],
      [
        'GetRecommendations on an actions campaign',
        () => runtime.send(new GetRecommendationsCommand({ campaignArn, userId: 'u0' })),
        'InvalidInputException',
        400,
        /aws-next-best-action/,
      ],
    ];
    for (const [what, call, name, status, message] of cases) {
      const e = await errorOf(call);
      assert.equal(e.name, name, `${what}: ${e.message}`);
      assert.equal(e.$metadata?.httpStatusCode, status, what);
      assert.match(e.message, message, what);
    }
    const negative = await errorOf(() => recommend({ userId: 'u0', numResults: -1 }));
    assert.equal(negative.$metadata?.httpStatusCode, 400);
  });

  it('forgets a user removed by a data deletion job, although the version was trained on them', async () => {
    const stranger = await recommend({ userId: uniqueName('stranger') });
    assert.notDeepEqual((await recommend({ userId: 'u9' })).actionList, stranger.actionList);
    await bucket.put('delete/users.csv', csv('USER_ID', ['u9']));
    const { dataDeletionJobArn } = await client.send(
      new CreateDataDeletionJobCommand({
        jobName: uniqueName('del'),
        datasetGroupArn: groupArn,
        dataSource: { dataLocation: `s3://${bucket.name}/delete/users.csv` },
        roleArn: 'arn:aws:iam::000000000000:role/deletion',
      }),
    );
    await svc.runner.drain();
    const job = (await client.send(new DescribeDataDeletionJobCommand({ dataDeletionJobArn }))).dataDeletionJob!;
    assert.equal(job.status, 'COMPLETED', job.failureReason);
    // Within a second (what a node trusts its view of the group's datasets for).
    const same = async () => JSON.stringify((await recommend({ userId: 'u9' })).actionList) === JSON.stringify(stranger.actionList);
    await waitFor(same, 5000, 'u9 unknown');
  });
});
