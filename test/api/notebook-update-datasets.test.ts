// AWS's updating-datasets notebook (next_steps/core_use_cases/updating_datasets/
// update-datasets-user-personalization-example.ipynb), its boto3 cells as written, run by the
// machine's python3 against the service (test/api/boto3_notebook_update_datasets.py): an ECOMMERCE
// dataset group, the users and half of the items (with only their interactions) imported, an
// aws-user-personalization FULL version and a batch inference job of 5 users x 10 items ("orig");
// then the other half of the items, renamed new_<id>, with their interactions in complete files
// imported again with importMode FULL, the same batch job on the same version ("au"), a FULL
// retraining and the batch job on it ("fr"), the metrics of each, and the clean-up.
//
// What AWS does, as the notebook shows it (its outputs, 2023) and quotes it (the User-Personalization
// page, training-rules.md rules 60, 112 and 121): "For batch item recommendations, Amazon
// Personalize updates the solution version you specify in the batch inference job when the solution
// version is the latest for your solution", trained FULL, with new item or interactions data since
// the last automatic update; the update brings the new items in through exploration, without a new
// version or new metrics. The notebook's "au" job started 20 minutes after the version became ACTIVE
// and listed four new_ items at the end of one user's list; its metrics were those of "orig". The
// retrained version lists new items among its own and has metrics of its own.
//
// The notebook makes no campaign and waits for nothing but its resources, so the service's clock is
// not moved: the "au" job comes seconds after the version became ACTIVE, as it came minutes after
// on AWS.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { METRIC_NAMES } from '../../src/training/metrics/ranking-metrics.ts';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

const ACCOUNT = '210000000026';
const RECIPE = 'arn:aws:personalize:::recipe/aws-user-personalization';

type Job = 'orig' | 'au' | 'fr';

interface OutputLine {
  input: { userId: string };
  output: { recommendedItems: string[]; scores: number[] };
  error: string | null;
}

interface Version {
  status: string;
  trainingMode: string;
  recipeArn: string;
  failureReason: string | null;
  solutionArn: string;
  lastUpdatedDateTime: string;
}

interface Summary {
  datasetGroup: string;
  datasets: Record<string, string>;
  firstImports: Record<string, [string, string | null, string]>;
  updatedImports: Record<string, [string, string | null, string]>;
  interactionsImportWhenMovingOn: string;
  counts: { items: number; removed: number; itemsTrimmed: number; interactions: number; interactionsTrimmed: number; users: number };
  keptItems: string[];
  newItems: string[];
  itemIdsAfterUpdate: string[];
  sampleUsers: string[];
  auJobSecondsAfterVersionActive: number;
  solutionArn: string;
  originalVersionArn: string;
  retrainedVersionArn: string;
  originalVersion: Version;
  originalVersionAfter: Version;
  retrainedVersion: Version;
  solutionVersions: { solutionVersionArn: string; status: string; trainingMode: string }[];
  jobs: Record<
    Job,
    {
      jobName: string;
      status: string;
      numResults: number;
      solutionVersionArn: string;
      jobInput: { s3DataSource: { path: string } };
      jobOutput: { s3DataDestination: { path: string } };
      failureReason: string | null;
    }
  >;
  outputs: Record<Job, OutputLine[]>;
  metrics: Record<Job, Record<string, number>>;
  bucketBeforeCleanup: string[];
  bucketAfterCleanup: string[];
  cleanup: { log: string[]; datasetGroup: string; schemasLeft: string[]; datasetGroupsListed: string[]; scratchLeft: string[] };
}

describe("AWS's updating-datasets notebook (update-datasets-user-personalization-example.ipynb) as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-update-datasets-'));
  let s: Summary;
  // Per job: each line's items, by user.
  const lists = (job: Job) => new Map(s.outputs[job].map((l) => [l.input.userId, l.output.recommendedItems]));
  const newIn = (items: string[]) => items.filter((i) => s.newItems.includes(i));

  before(async () => {
    svc = await startTestService();
    s = await runNotebook<Summary>(svc, 'boto3_notebook_update_datasets.py', ACCOUNT, scratchRoot, 120_000);
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('imports the users and the trimmed items and interactions, trains a FULL version, and its batch job lists 10 of the kept items for each of the 5 users', () => {
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.deepEqual(s.datasets, { ITEMS: 'ACTIVE', USERS: 'ACTIVE', INTERACTIONS: 'ACTIVE' });
    for (const name of ['users', 'items', 'interactions']) assert.deepEqual(s.firstImports[name], ['ACTIVE', null, 'FULL'], name);
    // Half of the items removed, with every interaction of theirs.
    const c = s.counts;
    assert.equal(c.removed, Math.floor(c.items / 2));
    assert.equal(c.itemsTrimmed, c.items - c.removed);
    assert.ok(c.interactionsTrimmed < c.interactions && c.interactionsTrimmed > 1000, JSON.stringify(c));
    assert.equal(s.newItems.length, c.removed);
    assert.ok(s.newItems.every((id) => /^new_[0-9a-f-]{36}$/.test(id)));
    assert.deepEqual(
      s.itemIdsAfterUpdate,
      [...s.keptItems, ...s.newItems].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );

    assert.deepEqual(s.originalVersion, {
      status: 'ACTIVE',
      trainingMode: 'FULL',
      recipeArn: RECIPE,
      failureReason: null,
      solutionArn: s.solutionArn,
      lastUpdatedDateTime: s.originalVersion.lastUpdatedDateTime,
    });
    for (const job of ['orig', 'au', 'fr'] as const) {
      const j = s.jobs[job];
      assert.equal(j.status, 'ACTIVE', `${job}: ${j.failureReason}`);
      assert.equal(j.numResults, 10);
      assert.equal(j.solutionVersionArn, job === 'fr' ? s.retrainedVersionArn : s.originalVersionArn);
      assert.match(j.jobName, new RegExp(`^retaildemostore-user-personalization-job-${job}-\\d{5}$`));
      // One line per input line, the user echoed, 10 distinct items with their scores, no error.
      assert.deepEqual(s.outputs[job].map((l) => l.input.userId).sort(), [...s.sampleUsers].sort(), job);
      for (const l of s.outputs[job]) {
        assert.equal(l.error, null);
        assert.equal(new Set(l.output.recommendedItems).size, 10, `${job}: ${l.output.recommendedItems}`);
        assert.equal(l.output.scores.length, 10);
      }
    }
    assert.deepEqual(
      [...new Set(s.bucketBeforeCleanup.filter((k) => k.startsWith('batch-job-outputs/')))],
      [
        'batch-job-outputs/auto-update/au_job_input.json.out',
        'batch-job-outputs/fully-retrained/fr_job_input.json.out',
        'batch-job-outputs/original/orig_job_input.json.out',
      ],
    );
    // Before the update the new items do not exist: the lists hold kept items only.
    for (const [user, items] of lists('orig'))
      assert.ok(
        items.every((i) => s.keptItems.includes(i)),
        `${user}: ${items}`,
      );
    assert.deepEqual(Object.keys(s.metrics.orig).sort(), [...METRIC_NAMES].sort());
  });

  it('after the complete files are imported with importMode FULL, the version is the same: no new version, the same metrics', () => {
    assert.deepEqual(s.updatedImports, { items: ['ACTIVE', null, 'FULL'], interactions: ['ACTIVE', null, 'FULL'] });
    // The update cell waits for the items import twice; the interactions import had ended too.
    assert.equal(s.interactionsImportWhenMovingOn, 'ACTIVE');
    // Rule 60: automatic updates don't create versions or metrics; the notebook printed the same
    // metrics twice. The two versions listed are the notebook's two FULL trainings.
    assert.deepEqual(s.metrics.au, s.metrics.orig);
    assert.deepEqual(s.originalVersionAfter, s.originalVersion);
    assert.deepEqual(
      s.solutionVersions.map((v) => [v.solutionVersionArn, v.status, v.trainingMode]).sort(),
      [
        [s.originalVersionArn, 'ACTIVE', 'FULL'],
        [s.retrainedVersionArn, 'ACTIVE', 'FULL'],
      ].sort(),
    );
    // The model was not retrained: each list starts as it did.
    const orig = lists('orig');
    for (const [user, items] of lists('au')) assert.deepEqual(items.slice(0, 5), orig.get(user)!.slice(0, 5), user);
  });

  it('the second batch job on the latest fully trained version brings the new items in through exploration, after the model’s items (AWS: the job updates the version)', () => {
    const au = lists('au');
    // Only kept items and new ones; the new ones follow every kept item of their list, as on AWS
    // (the model does not know them: they come from exploration, not from its ranking).
    for (const [user, items] of au) {
      assert.ok(
        items.every((i) => s.keptItems.includes(i) || s.newItems.includes(i)),
        `${user}: ${items}`,
      );
      const firstNew = items.findIndex((i) => s.newItems.includes(i));
      if (firstNew >= 0) assert.deepEqual(newIn(items.slice(firstNew)), items.slice(firstNew), `${user}: ${items}`);
    }
    const counts = [...au.values()].map((items) => newIn(items).length);
    assert.ok(
      counts.some((n) => n > 0),
      `no new_ item in the "au" job's lists (per user: ${counts.join(', ')}), a job created ` +
        `${s.auJobSecondsAfterVersionActive} s after the version became ACTIVE`,
    );
  });

  it('the FULL retraining recommends new items among its own, more than the updated version, with metrics of its own', () => {
    assert.deepEqual(s.retrainedVersion, {
      status: 'ACTIVE',
      trainingMode: 'FULL',
      recipeArn: RECIPE,
      failureReason: null,
      solutionArn: s.solutionArn,
      lastUpdatedDateTime: s.retrainedVersion.lastUpdatedDateTime,
    });
    const fr = [...lists('fr').values()];
    for (const items of fr)
      assert.ok(
        items.every((i) => s.itemIdsAfterUpdate.includes(i)),
        `${items}`,
      );
    const total = (lines: string[][]) => lines.reduce((n, items) => n + newIn(items).length, 0);
    assert.ok(total(fr) > total([...lists('au').values()]), `fr ${total(fr)} vs au ${total([...lists('au').values()])}`);
    // Ranked by the model, not only explored: a new item within the first 7 places of some list.
    assert.ok(
      fr.some((items) => newIn(items.slice(0, 7)).length > 0),
      fr.map((items) => items.map((i) => (s.newItems.includes(i) ? 'N' : '.')).join('')).join(' '),
    );
    assert.deepEqual(Object.keys(s.metrics.fr).sort(), [...METRIC_NAMES].sort());
    assert.notDeepEqual(s.metrics.fr, s.metrics.orig);
  });

  it('the clean-up empties the bucket and deletes the solution, the datasets, the schemas and then the dataset group', () => {
    assert.ok(s.bucketBeforeCleanup.includes('items_trimmed.csv') && s.bucketBeforeCleanup.includes('users.csv'));
    assert.deepEqual(s.bucketAfterCleanup, []);
    const deleted = s.cleanup.log.filter((m) => m.startsWith('Deleting')).map((m) => m.replace(/ arn:.*$/, '').replace(/:$/, ''));
    assert.deepEqual(deleted, [
      'Deleting solution',
      'Deleting dataset',
      'Deleting dataset',
      'Deleting dataset',
      'Deleting schema',
      'Deleting schema',
      'Deleting schema',
      'Deleting dataset group',
    ]);
    // The helper's last loop waits until DescribeDatasetGroup answers ResourceNotFoundException.
    assert.ok(s.cleanup.log.some((m) => m.endsWith('has been fully deleted')));
    assert.equal(s.cleanup.datasetGroup, 'ResourceNotFoundException');
    assert.deepEqual(s.cleanup.schemasLeft, []);
    assert.deepEqual(s.cleanup.datasetGroupsListed, []);
    assert.deepEqual(s.cleanup.scratchLeft, []);
  });
});
