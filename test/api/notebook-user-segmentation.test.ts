// AWS's user segmentation notebook (aws-samples/amazon-personalize-samples,
// next_steps/core_use_cases/user_segmentation/user_segmentation_example.ipynb), its boto3 code as
// written, run by the machine's python3 against the service (test/api/boto3_notebook_user_segmentation.py):
// two dataset groups over generated grocery reviews, an aws-item-affinity and an
// aws-item-attribute-affinity solution version, and three batch segment jobs (50 held-out test
// items, ten editorial items, five itemAttributes queries) whose `.out` files the notebook reads.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

const ACCOUNT = '210000000021';
const ARN = `arn:aws:personalize:us-east-1:${ACCOUNT}`;

interface SegmentLine<I> {
  input: I;
  output: { usersList: string[] } | null;
  error: string | null;
}

interface Job {
  jobName: string;
  batchSegmentJobArn: string;
  status: string;
  numResults: number;
  solutionVersionArn: string;
  jobInput: { s3DataSource: { path: string } };
  jobOutput: { s3DataDestination: { path: string } };
  roleArn: string;
  failureReason?: string | null;
}

interface Summary {
  statuses: Record<string, string>;
  solutions: Record<'affinity' | 'attribute', { name: string; recipeArn: string; status: string; datasetGroupArn: string }>;
  versions: Record<'affinity' | 'attribute', string>;
  metrics: Record<'affinity' | 'attribute', Record<string, number>>;
  jobs: Record<'test' | 'editorial' | 'attribute', Job>;
  bucketOutput: string[];
  trainUsers: string[];
  topk: number;
  testInput: string[];
  testItemsInTraining: number;
  testOutput: SegmentLine<{ itemId: string }>[];
  testMetrics: Record<'affinity' | 'popularity', Record<string, number>>;
  mostActive: string[];
  testShares: { theme: string; share: number }[];
  editorialInput: string[];
  editorialOutput: SegmentLine<{ itemId: string }>[];
  editorialThemes: Record<string, string>;
  editorialShares: Record<string, number[]>;
  themeBaseline: Record<string, number>;
  attributeInput: { itemAttributes: string }[];
  attributeOutput: SegmentLine<{ itemAttributes: string }>[];
  attributeShares: Record<string, number[]>;
  attributeBaseline: Record<string, number>;
  analyses: Record<string, [string, number, number, ...string[]][]>;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Every line answered, in input order, with `size` distinct users the training data holds. */
function assertSegments<I>(lines: SegmentLine<I>[], inputs: I[], size: number, users: Set<string>, what: string) {
  assert.deepEqual(
    lines.map((l) => l.input),
    inputs,
    `${what}: one output line per input line, in order`,
  );
  for (const l of lines) {
    assert.equal(l.error, null, `${what} ${JSON.stringify(l.input)}: ${l.error}`);
    const list = l.output!.usersList;
    assert.equal(list.length, size, `${what} ${JSON.stringify(l.input)}: ${list.length} users`);
    assert.equal(new Set(list).size, size, `${what} ${JSON.stringify(l.input)}: a user twice`);
    for (const u of list) assert.ok(users.has(u), `${what} ${JSON.stringify(l.input)}: ${u} is no user of the data`);
  }
}

describe("AWS's user segmentation notebook as written (boto3): Item-Affinity and Item-Attribute-Affinity batch segment jobs", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('trains both recipes and answers every query with users who favour the item or attribute', async () => {
    const s = await runNotebook<Summary>(svc, 'boto3_notebook_user_segmentation.py', ACCOUNT, scratchRoot);

    // Every resource the notebook made and waited for ended ACTIVE.
    const names = Object.keys(s.statuses).map((a) => a.slice(ARN.length + 1));
    assert.deepEqual(names.sort(), [
      'batch-segment-job/amazon-grocery-attribute-demo',
      'batch-segment-job/notebook-query-demo-500',
      'batch-segment-job/notebook-query-editorial-demo',
      'dataset-group/amazon-grocery-attr-meta-demo',
      'dataset-group/notebook-amazon-grocery-meta-demo',
      'dataset-import-job/notebook-ag-inters-import',
      'dataset-import-job/notebook-item-attr-inters-import',
      'dataset-import-job/notebook-item-attr-meta-import',
      'dataset-import-job/notebook-items-textual-import',
      `solution/item-affinity-amazon-grocery-meta-demo/${s.versions.affinity.split('/').at(-1)}`,
      `solution/item-attr-affinity-amazon-grocery-demo/${s.versions.attribute.split('/').at(-1)}`,
    ]);
    for (const [arn, status] of Object.entries(s.statuses)) assert.equal(status, 'ACTIVE', arn);

    // The solutions as DescribeSolution shows them right after CreateSolution.
    assert.equal(s.solutions.affinity.recipeArn, 'arn:aws:personalize:::recipe/aws-item-affinity');
    assert.equal(s.solutions.affinity.datasetGroupArn, `${ARN}:dataset-group/notebook-amazon-grocery-meta-demo`);
    assert.equal(s.solutions.attribute.recipeArn, 'arn:aws:personalize:::recipe/aws-item-attribute-affinity');
    assert.equal(s.solutions.attribute.datasetGroupArn, `${ARN}:dataset-group/amazon-grocery-attr-meta-demo`);
    for (const x of Object.values(s.solutions)) assert.ok(['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(x.status), x.status);
    assert.match(
      s.versions.affinity,
      /^arn:aws:personalize:us-east-1:210000000021:solution\/item-affinity-amazon-grocery-meta-demo\/[0-9a-f]{8}$/,
    );

    // GetSolutionMetrics: the segmentation metrics the notebook prints.
    for (const [recipe, m] of Object.entries(s.metrics)) {
      assert.deepEqual(Object.keys(m).sort(), ['coverage', 'hits_at_1_percent', 'recall_at_1_percent'], recipe);
      assert.ok(m.coverage > 0 && m.coverage <= 1, `${recipe} ${JSON.stringify(m)}`);
      assert.ok(m.recall_at_1_percent > 0 && m.recall_at_1_percent <= 1, `${recipe} ${JSON.stringify(m)}`);
      assert.ok(m.hits_at_1_percent > 0, `${recipe} ${JSON.stringify(m)}`);
    }

    // The three jobs as DescribeBatchSegmentJob shows them, and their .out files in output/.
    const bucket = s.jobs.test.jobInput.s3DataSource.path.split('/')[2];
    const expected = [
      ['test', 'notebook-query-demo-500', s.topk, 'affinity', 'query-amazon-grocery.json'],
      ['editorial', 'notebook-query-editorial-demo', 10, 'affinity', 'editorial_test_item_ids.json'],
      ['attribute', 'amazon-grocery-attribute-demo', 10, 'attribute', 'query-amazon-grocery-attribute.json'],
    ] as const;
    for (const [key, jobName, numResults, version, input] of expected) {
      const j = s.jobs[key];
      assert.equal(j.batchSegmentJobArn, `${ARN}:batch-segment-job/${jobName}`);
      assert.equal(j.jobName, jobName);
      assert.equal(j.status, 'ACTIVE');
      assert.equal(j.numResults, numResults, key);
      assert.equal(j.solutionVersionArn, s.versions[version]);
      assert.deepEqual(j.jobInput, { s3DataSource: { path: `s3://${bucket}/${input}` } });
      assert.deepEqual(j.jobOutput, { s3DataDestination: { path: `s3://${bucket}/output/` } });
      assert.ok(!j.failureReason, j.failureReason ?? '');
    }
    assert.deepEqual(s.bucketOutput, [
      'editorial_test_item_ids.json.out',
      'query-amazon-grocery-attribute.json.out',
      'query-amazon-grocery.json.out',
    ]);

    const users = new Set(s.trainUsers);
    assert.equal(s.topk, Math.floor(s.trainUsers.length / 100));
    assert.ok(s.topk >= 3, `topk ${s.topk}`);

    // 50 held-out items, each a segment of topk users; the segments differ from item to item and
    // from the most active users (the notebook's popularity baseline), and lean to the item's kind.
    assert.equal(s.testInput.length, 50);
    assert.equal(s.testItemsInTraining, 50);
    assertSegments(
      s.testOutput,
      s.testInput.map((itemId) => ({ itemId })),
      s.topk,
      users,
      'test items',
    );
    const lists = s.testOutput.map((l) => l.output!.usersList.join(','));
    assert.ok(new Set(lists).size >= 45, `${new Set(lists).size} distinct segments of 50`);
    assert.ok(!lists.every((l) => l === s.mostActive.join(',')));
    const shares = mean(s.testShares.map((x) => x.share));
    const baseline = mean(s.testShares.map((x) => s.themeBaseline[x.theme]));
    assert.ok(shares > 3 * baseline, `segment users' share of the item's kind ${shares} vs ${baseline} for any user`);
    for (const m of Object.values(s.testMetrics)) {
      const [hits, recall] = Object.values(m);
      assert.ok(hits >= 0 && hits <= s.topk && recall >= 0 && recall <= 1, JSON.stringify(m));
    }
    // The notebook's point: the segments find the test period's buyers at least as well as the most active users do.
    assert.ok(
      s.testMetrics.affinity[`hits @ top-${s.topk}`] >= s.testMetrics.popularity[`hits @ top-${s.topk}`],
      JSON.stringify(s.testMetrics),
    );

    // The editorial items: ten users each, mostly buyers of products of the item's kind.
    assertSegments(
      s.editorialOutput,
      s.editorialInput.map((itemId) => ({ itemId })),
      10,
      users,
      'editorial items',
    );
    assert.equal(new Set(s.editorialOutput.map((l) => l.output!.usersList.join(','))).size, 10);
    for (const [item, xs] of Object.entries(s.editorialShares)) {
      const theme = s.editorialThemes[item];
      assert.ok(mean(xs) > 3 * s.themeBaseline[theme], `${item} (${theme}): ${mean(xs)} vs ${s.themeBaseline[theme]}`);
    }

    // The itemAttributes queries: ten users each, different segments for different values, users
    // whose histories hold the value far more often than anyone's.
    assertSegments(s.attributeOutput, s.attributeInput, 10, users, 'attribute queries');
    assert.deepEqual(
      s.attributeInput.map((x) => x.itemAttributes),
      [
        'ITEMS.CATEGORY = "Candy & Chocolate"',
        'ITEMS.CATEGORY = "Coffee, Tea & Cocoa"',
        'ITEMS.CATEGORY = "Dried Vegetables"',
        'ITEMS.BRAND = "Starbucks"',
        'ITEMS.BRAND = "Jelly Belly"',
      ],
    );
    const segment = (q: string) => new Set(s.attributeOutput.find((l) => l.input.itemAttributes === q)!.output!.usersList);
    assert.equal(new Set(s.attributeOutput.map((l) => l.output!.usersList.join(','))).size, 5);
    const candy = segment('ITEMS.CATEGORY = "Candy & Chocolate"');
    const coffee = [...segment('ITEMS.CATEGORY = "Coffee, Tea & Cocoa"')];
    assert.ok(coffee.filter((u) => candy.has(u)).length < 5, 'the candy and coffee segments are mostly the same users');
    for (const [q, xs] of Object.entries(s.attributeShares))
      assert.ok(mean(xs) > 3 * s.attributeBaseline[q], `${q}: ${mean(xs)} vs ${s.attributeBaseline[q]}`);

    // print_analysis: each user's history length and visits of the queried value.
    assert.deepEqual(Object.keys(s.analyses), ['CATEGORY:Dried Vegetables', 'BRAND:Starbucks']);
    for (const [q, rows] of Object.entries(s.analyses)) {
      assert.equal(rows.length, 10, q);
      assert.ok(
        rows.every(([, len, visits]) => len > 0 && visits >= 0 && visits <= len),
        q,
      );
      assert.ok(rows.filter(([, , visits]) => visits > 0).length >= 8, `${q}: ${JSON.stringify(rows)}`);
    }
  });
});
