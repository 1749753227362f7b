// Batch inference jobs through @aws-sdk/client-personalize over HTTP (training-rules.md §9 rules
// 109-112 and 116, rule 108's per-line filterValues, rule 7's Java-style scores): real models
// trained on data with a planted structure answer each line of JSON Lines files in S3 (the local
// store) exactly as GetRecommendations / GetPersonalizedRanking answer the same request on a
// campaign of the same version (exploration weight 0), one `<input file>.out` per input file,
// lines that cannot be answered with an `error`; themes for Similar-Items; exploration; Describe
// and List. The operations' errors and the jobs' failures: batch-inference-job-errors.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ListBatchInferenceJobsCommand,
  type CreateBatchInferenceJobCommandInput,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import {
  GetPersonalizedRankingCommand,
  GetRecommendationsCommand,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import {
  activeFilter,
  batchGroup,
  genreOf,
  jsonLines,
  outLines,
  outTextLines,
  ROLE_ARN,
  runInferenceJob,
} from '../testkit/batch-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeCampaign, runtimeClient } from '../testkit/serving-fixtures.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

/** A score token as Java prints a double: plain from 10^-3 to 10^7, else d.dddE-n. */
const JAVA_DOUBLE = /^-?(\d+\.\d+|\d\.\d+E-?\d+)$/;

const RECIPES = {
  user: 'aws-user-personalization',
  ranking: 'aws-personalized-ranking',
  sims: 'aws-sims',
  popularity: 'aws-popularity-count',
  similar: 'aws-similar-items',
};

describe('batch inference jobs', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let bucket: Bucket;
  let versions: Record<keyof typeof RECIPES, string>;
  const campaigns: Record<'user' | 'ranking' | 'sims' | 'popularity', string> = { user: '', ranking: '', sims: '', popularity: '' };
  let excludeGenres: string;
  let includeGenres: string;

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    bucket = localBucket(svc.dataDir);
    const group = await batchGroup(svc, client, bucket, RECIPES);
    versions = group.versions;
    for (const key of Object.keys(campaigns) as (keyof typeof campaigns)[])
      campaigns[key] = await activeCampaign(
        client,
        versions[key],
        key === 'user' ? { itemExplorationConfig: { explorationWeight: '0' } } : undefined,
      );
    excludeGenres = await activeFilter(client, group.datasetGroupArn, 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)');
    includeGenres = await activeFilter(client, group.datasetGroupArn, 'INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)');
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
  const ids = (list: { itemId?: string }[] | undefined) => (list ?? []).map((i) => i.itemId!);

  it('User-Personalization: every line equals GetRecommendations for its user, filter and filterValues; scores written as Java writes doubles', async () => {
    const lines: Record<string, unknown>[] = [];
    for (let u = 0; u < 24; u++) {
      const line: Record<string, unknown> = { userId: `u${u}` };
      if (u % 3 === 1) line.filterValues = { GENRES: '"Drama"' };
      if (u % 3 === 2) line.filterValues = { GENRES: '"Comedy","Documentary"' };
      lines.push(line);
    }
    lines.push({ userId: 'nobody-knows-me' }, { userId: 7 });
    await bucket.put('up/users.json', jsonLines(lines));
    const j = await job(
      {
        solutionVersionArn: versions.user,
        filterArn: excludeGenres,
        numResults: 60,
        batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0' } },
      },
      'up/users.json',
      'up-out/',
    );
    assert.equal(j.status, 'ACTIVE', j.failureReason);
    const text = await outTextLines(bucket, 'up-out/users.json.out');
    const out = text.map(
      (l) => JSON.parse(l) as { input: Record<string, unknown>; output: { recommendedItems: string[]; scores: number[] }; error: null },
    );
    assert.equal(out.length, lines.length);
    for (const [i, line] of out.entries()) {
      assert.deepEqual(line.input, lines[i], 'each line echoes its input, in order');
      assert.equal(line.error, null);
      const userId = String(lines[i].userId);
      const filterValues = lines[i].filterValues as Record<string, string> | undefined;
      const r = await runtime.send(
        new GetRecommendationsCommand({ campaignArn: campaigns.user, userId, numResults: 60, filterArn: excludeGenres, filterValues }),
      );
      assert.deepEqual(line.output.recommendedItems, ids(r.itemList), `line ${i + 1}: the items GetRecommendations gives`);
      assert.deepEqual(
        line.output.scores,
        r.itemList!.map((x) => x.score),
        `line ${i + 1}: the scores GetRecommendations gives`,
      );
      // The raw text: compact, scores as Java prints doubles (0.0149095; 3.773E-4 below 10^-3, which
      // a catalog this small does not reach: test/serving/batch-format.test.ts covers those).
      const scores = /"scores":\[([^\]]*)\]/.exec(text[i])![1].split(',');
      for (const s of scores) {
        assert.match(s, JAVA_DOUBLE);
        if (Number(s) < 1e-3) assert.match(s, /E-/);
      }
    }
    assert.match(
      text[0],
      /^\{"input":\{"userId":"u0"\},"output":\{"recommendedItems":\["[^"]+"(,"[^"]+")*\],"scores":\[[^\]]+\]\},"error":null\}$/,
    );
    // Rule 108: the filter holds per line (Drama excluded on u1's line).
    assert.ok(out[1].output.recommendedItems.every((id) => genreOf(id) !== 'Drama'));
  });

  it('lines that cannot be answered get an error, the others are answered; an INCLUDE filter needs its values on each line', async () => {
    const input = [
      '{"userId": "u1", "filterValues": {"GENRES": "\\"Comedy\\""}}',
      '',
      'not json',
      '[1,2]',
      '{"itemId": "a1"}',
      '{"userId": "u2"}',
      '{"userId": "u3", "filterValues": "Comedy"}',
    ].join('\n');
    await bucket.put('errors/in.json', input);
    const j = await job({ solutionVersionArn: versions.user, filterArn: includeGenres, numResults: 5 }, 'errors/in.json', 'errors-out');
    assert.equal(j.status, 'ACTIVE', j.failureReason);
    const out = await outLines(bucket, 'errors-out/in.json.out');
    assert.equal(out.length, 6, 'an empty line gives no output line');
    assert.equal(out[0].error, null);
    assert.ok(out[0].output!.recommendedItems!.every((id) => genreOf(id) === 'Comedy'));
    assert.equal(out[1].input, 'not json');
    assert.match(out[1].error!, /not valid JSON/);
    assert.equal(out[1].output, null);
    assert.match(out[2].error!, /not a JSON object/);
    assert.match(out[3].error!, /userId is required/);
    assert.deepEqual(out[3].input, { itemId: 'a1' });
    assert.match(out[4].error!, /needs a value for the parameter \$GENRES/);
    assert.match(out[5].error!, /filterValues must be an object/);
  });

  it('a prefix reads every matching object (sub-folders too), one .out per input file; Popularity-Count writes no scores', async () => {
    await bucket.put('pop/a.json', jsonLines([{ userId: 'u1' }, {}]));
    await bucket.put('pop/deep/b.json', jsonLines([{ userId: 'u2' }]));
    await bucket.put('pop_test/c.json', jsonLines([{ userId: 'u3' }]));
    const j = await job({ solutionVersionArn: versions.popularity, numResults: 5 }, 'pop', 'pop-out/');
    assert.equal(j.status, 'ACTIVE', j.failureReason);
    assert.deepEqual((await bucket.list('pop-out/')).sort(), [
      'pop-out/pop/a.json.out',
      'pop-out/pop/deep/b.json.out',
      'pop-out/pop_test/c.json.out',
    ]);
    const popular = ids((await runtime.send(new GetRecommendationsCommand({ campaignArn: campaigns.popularity, numResults: 5 }))).itemList);
    const a = await outLines(bucket, 'pop-out/pop/a.json.out');
    assert.deepEqual(
      a.map((l) => l.output!.recommendedItems),
      [popular, popular],
    );
    assert.ok(a.every((l) => l.output && !('scores' in l.output)));
    // With a trailing '/', the folder's objects, named from inside it.
    const k = await job({ solutionVersionArn: versions.popularity, numResults: 5 }, 'pop/', 'pop-out2');
    assert.equal(k.status, 'ACTIVE', k.failureReason);
    assert.deepEqual((await bucket.list('pop-out2/')).sort(), ['pop-out2/a.json.out', 'pop-out2/deep/b.json.out']);
  });

  it('Personalized-Ranking and SIMS: the same answers as the runtime; SIMS without scores', async () => {
    const lists = [
      ['a1', 'b2', 'a3', 'x1', 'b7'],
      ['b1', 'a9', 'no-such-item', 'a2'],
    ];
    await bucket.put('rank/in.json', jsonLines(lists.map((itemList, i) => ({ userId: `u${i}`, itemList }))));
    const r = await job({ solutionVersionArn: versions.ranking }, 'rank/in.json', 'rank-out/');
    assert.equal(r.status, 'ACTIVE', r.failureReason);
    const ranked = await outLines(bucket, 'rank-out/in.json.out');
    for (const [i, line] of ranked.entries()) {
      const expected = await runtime.send(
        new GetPersonalizedRankingCommand({ campaignArn: campaigns.ranking, userId: `u${i}`, inputList: lists[i] }),
      );
      assert.deepEqual(line.output!.recommendedItems, ids(expected.personalizedRanking));
      // An item the model does not know has no score at the runtime and 0.0 in the file's parallel list.
      assert.deepEqual(
        line.output!.scores,
        expected.personalizedRanking!.map((x) => x.score ?? 0),
      );
    }
    await bucket.put('sims/in.json', jsonLines(['x1', 'a1', 'unknown-item'].map((itemId) => ({ itemId }))));
    const s = await job({ solutionVersionArn: versions.sims, numResults: 10 }, 'sims/in.json', 'sims-out/');
    assert.equal(s.status, 'ACTIVE', s.failureReason);
    for (const line of await outLines(bucket, 'sims-out/in.json.out')) {
      const itemId = (line.input as { itemId: string }).itemId;
      const expected = await runtime.send(new GetRecommendationsCommand({ campaignArn: campaigns.sims, itemId, numResults: 10 }));
      assert.deepEqual(line.output, { recommendedItems: ids(expected.itemList) });
    }
  });

  it('THEME_GENERATION on Similar-Items: the items of the job without themes, a theme from their fields, listed by relevance', async () => {
    await bucket.put('themes/in.json', jsonLines([{ itemId: 'a1' }, { itemId: 'b3' }]));
    const plain = await job({ solutionVersionArn: versions.similar, numResults: 8 }, 'themes/in.json', 'themes-plain/');
    assert.equal(plain.status, 'ACTIVE', plain.failureReason);
    const themed = await job(
      {
        solutionVersionArn: versions.similar,
        numResults: 8,
        batchInferenceJobMode: 'THEME_GENERATION',
        themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } },
      },
      'themes/in.json',
      'themes-out/',
    );
    assert.equal(themed.status, 'ACTIVE', themed.failureReason);
    assert.equal(themed.batchInferenceJobMode, 'THEME_GENERATION');
    const base = await outLines(bucket, 'themes-plain/in.json.out');
    const out = await outLines(bucket, 'themes-out/in.json.out');
    for (const [i, line] of out.entries()) {
      const o = line.output!;
      assert.deepEqual([...o.recommendedItems!].sort(), [...base[i].output!.recommendedItems!].sort());
      const scores = o.itemsThemeRelevanceScores!;
      assert.equal(scores.length, o.recommendedItems!.length);
      assert.ok(
        scores.every((s, k) => s >= -0.1 && s <= 0.6 && (k === 0 || s <= scores[k - 1])),
        `relevance in [-0.1, 0.6], highest first: ${scores}`,
      );
      assert.ok(!('scores' in o));
    }
    // The theme names what most of the set shares, and the items that have it come first.
    const drama = out[0].output!;
    const firstThriller = drama.recommendedItems!.findIndex((id) => genreOf(id) === 'Thriller');
    if (firstThriller >= 0) {
      assert.ok(
        drama.recommendedItems!.slice(firstThriller).every((id) => genreOf(id) === 'Thriller'),
        `${drama.recommendedItems}`,
      );
      assert.ok(drama.itemsThemeRelevanceScores![firstThriller] < drama.itemsThemeRelevanceScores![0]);
    }
    assert.match(out[0].output!.theme!, /^Drama and (Moving|Family|Saga|Loss|Hope): more like Title A1$/);
    assert.match(out[1].output!.theme!, /^(Comedy|Silly|Road|Trip|Jokes|Pranks)\b.*: more like Title B3$/);
  });

  it('item exploration: batchInferenceJobConfig.itemExplorationConfig gives places to explored items', async () => {
    await bucket.put('explore/in.json', jsonLines([0, 1, 2, 3].map((u) => ({ userId: `u${u}` }))));
    const config = { explorationWeight: '1', explorationItemAgeCutOff: '30' };
    const explore = await job(
      { solutionVersionArn: versions.user, numResults: 10, batchInferenceJobConfig: { itemExplorationConfig: config } },
      'explore/in.json',
      'explore-1/',
    );
    const none = await job(
      { solutionVersionArn: versions.user, numResults: 10, batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0' } } },
      'explore/in.json',
      'explore-0/',
    );
    for (const j of [explore, none]) assert.equal(j.status, 'ACTIVE', j.failureReason);
    assert.deepEqual(explore.batchInferenceJobConfig, { itemExplorationConfig: config });
    const explored = await outLines(bucket, 'explore-1/in.json.out');
    const model = await outLines(bucket, 'explore-0/in.json.out');
    let differ = 0;
    for (const [i, line] of explored.entries()) {
      const items = line.output!.recommendedItems!;
      assert.equal(new Set(items).size, 10);
      if (items.join() !== model[i].output!.recommendedItems!.join()) differ++;
    }
    assert.ok(differ > 0, 'weight 1 explores');
  });

  it('Describe and List show the job; List filters by solution version and pages', async () => {
    await bucket.put('list/in.json', jsonLines([{ userId: 'u1' }]));
    const j = await job({ solutionVersionArn: versions.popularity, numResults: 3, filterArn: excludeGenres }, 'list/in.json', 'list-out/');
    assert.equal(j.status, 'ACTIVE');
    assert.equal(j.numResults, 3);
    assert.equal(j.filterArn, excludeGenres);
    assert.equal(j.roleArn, ROLE_ARN);
    assert.equal(j.batchInferenceJobMode, 'BATCH_INFERENCE');
    assert.deepEqual(j.jobInput, { s3DataSource: { path: path('list/in.json') } });
    assert.deepEqual(j.jobOutput, { s3DataDestination: { path: path('list-out/') } });
    assert.match(j.batchInferenceJobArn!, /^arn:aws:personalize:us-east-1:\d{12}:batch-inference-job\/bij-/);
    assert.ok(j.lastUpdatedDateTime! >= j.creationDateTime!);
    const byVersion = await client.send(new ListBatchInferenceJobsCommand({ solutionVersionArn: versions.popularity }));
    assert.ok(byVersion.batchInferenceJobs!.length >= 3);
    assert.ok(byVersion.batchInferenceJobs!.every((x) => x.solutionVersionArn === versions.popularity));
    assert.equal(byVersion.batchInferenceJobs![0].batchInferenceJobArn, j.batchInferenceJobArn, 'newest first');
    const page = await client.send(new ListBatchInferenceJobsCommand({ maxResults: 1 }));
    assert.equal(page.batchInferenceJobs!.length, 1);
    const next = await client.send(new ListBatchInferenceJobsCommand({ maxResults: 1, nextToken: page.nextToken }));
    assert.notEqual(next.batchInferenceJobs![0].batchInferenceJobArn, page.batchInferenceJobs![0].batchInferenceJobArn);
  });
});
