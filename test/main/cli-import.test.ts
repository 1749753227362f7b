// `openpersonalize import` as a process against a service running in this test process (local
// object store): a local file to ACTIVE with everything created on the way, a failing import that
// shows the offending lines of the local file, --infer-schema on a sample, and one-line errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DescribeDatasetCommand,
  DescribeSchemaCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { runCommand, type Io } from '../../src/main/cli/cli-common.ts';
import { importCommand } from '../../src/main/cli/cli-import.ts';
import { inferSchema } from '../../src/main/cli/infer-schema.ts';
import { badFile } from '../testkit/bad-file-corpus.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';
import { startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';

const dir = mkdtempSync(join(tmpdir(), 'openpersonalize-cli-import-'));
const file = (name: string, body: string | Buffer) => {
  writeFileSync(join(dir, name), body);
  return join(dir, name);
};

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const childEnv = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_PROFILE: '', ...env };
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli.ts', 'import', ...args],
      { env: childEnv, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const ITEMS_SAMPLE = csv(
  'ITEM_ID,GENRE,PRICE,STOCK,IN_STOCK,CREATION_TIMESTAMP,DESCRIPTION,item name',
  Array.from({ length: 300 }, (_, i) =>
    [
      `item${i}`,
      ['drama', 'comedy', 'horror'][i % 3],
      (i * 1.25).toFixed(2),
      i % 7,
      i % 2 === 0,
      1_700_000_000 + i,
      `"A long description of item ${i}, which goes on for a while so that it reads as free text, not a category"`,
      `name ${i}`,
    ].join(','),
  ),
);

describe('openpersonalize import', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let common: string[];
  before(async () => {
    svc = await startTestService();
    client = svc.client();
    common = ['--endpoint', svc.endpoint, '--data-dir', svc.dataDir];
  });
  after(async () => {
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const group = uniqueName('cli');

  it('imports a local file to ACTIVE, creating schema, dataset group and dataset; quiet in a pipe', async () => {
    const good = file('good.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1200)));
    const schemaPath = file('interactions.json', minimalSchemas.interactions);
    const r = await cli([good, '--dataset-group', group, '--type', 'Interactions', '--schema', schemaPath, ...common]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^ACTIVE: imported 1,200 rows \(0\.03 MB, [\d.]+ MB\/s\) into arn:aws:personalize:us-east-1:000000000000:dataset\/[\w-]+\/INTERACTIONS in [\d.]+s \(job cli-good-csv-\d+\)\n$/,
    );
    assert.doesNotMatch(r.stderr, /\r|\x1b\[/, 'no progress bar drawn into a pipe');
    assert.match(r.stderr, /created dataset group .*created schema .*created dataset /s);

    const groups = (await client.send(new ListDatasetGroupsCommand({}))).datasetGroups ?? [];
    const g = groups.find((x) => x.name === group);
    assert.equal(g?.status, 'ACTIVE');
    const [ds] = (await client.send(new ListDatasetsCommand({ datasetGroupArn: g!.datasetGroupArn }))).datasets ?? [];
    const d = (await client.send(new DescribeDatasetCommand({ datasetArn: ds.datasetArn }))).dataset!;
    assert.equal((await client.send(new DescribeSchemaCommand({ schemaArn: d.schemaArn }))).schema?.schema, minimalSchemas.interactions);
    const jobs = (await client.send(new ListDatasetImportJobsCommand({ datasetArn: ds.datasetArn }))).datasetImportJobs ?? [];
    assert.deepEqual(
      jobs.map((j) => j.status),
      ['ACTIVE'],
    );
  });

  it('a failing import ends with the reason and the offending lines of the local file', async () => {
    // The corpus's bad timestamps (lines 2 and 502), into the dataset the first test created.
    const c = badFile('bad-ts');
    const bad = file('bad-ts.csv', c.files[0][1]);
    const r = await cli([bad, '--dataset-group', group, '--type', 'Interactions', ...common]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const [outcome, ...rest] = r.stdout.trimEnd().split('\n');
    assert.match(
      outcome,
      /^CREATE FAILED: 2 of 1200 rows are invalid\. First errors: s3:\/\/openpersonalize-imports\/cli-bad-ts-csv-\d+\/bad-ts\.csv line 2, column TIMESTAMP: 'yesterday' is not a whole number \(long\)/,
    );
    assert.deepEqual(rest, [`offending lines of ${bad}:`, '  2 | u1,i1,yesterday,click', '502 | u1,i1,2024-01-01T00:00:00Z,click']);
  });

  it('--json prints one object with the outcome; the placed copy is deleted after the job', async () => {
    const good = file('good-json.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1100)));
    const ok = await cli([good, '--dataset-group', group, '--type', 'Interactions', '--json', '--job-name', 'cli-json-ok', ...common]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const outcome = JSON.parse(ok.stdout) as Record<string, unknown>;
    assert.equal(outcome.status, 'ACTIVE');
    assert.equal(outcome.jobName, 'cli-json-ok');
    assert.equal(outcome.rows, 1100);
    assert.equal(outcome.location, 's3://openpersonalize-imports/cli-json-ok/good-json.csv');
    assert.match(String(outcome.datasetImportJobArn), /dataset-import-job\/cli-json-ok$/);
    assert.equal(existsSync(join(svc.dataDir, 'buckets', 'openpersonalize-imports', 'cli-json-ok', 'good-json.csv')), false);

    const c = badFile('bad-ts');
    const bad = file('bad-json.csv', c.files[0][1]);
    const failed = await cli([bad, '--dataset-group', group, '--type', 'Interactions', '--json', '--job-name', 'cli-json-bad', ...common]);
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    const f = JSON.parse(failed.stdout) as { status: string; failureReason: string; offendingLines: { line: number; text: string }[] };
    assert.equal(f.status, 'CREATE FAILED');
    assert.match(f.failureReason, /line 2, column TIMESTAMP: 'yesterday' is not a whole number/);
    assert.deepEqual(f.offendingLines, [
      { line: 2, text: 'u1,i1,yesterday,click' },
      { line: 502, text: 'u1,i1,2024-01-01T00:00:00Z,click' },
    ]);
    assert.equal(existsSync(join(svc.dataDir, 'buckets', 'openpersonalize-imports', 'cli-json-bad', 'bad-json.csv')), false);
  });

  it('--infer-schema proposes a schema from the header and the data, prints it and imports with it', async () => {
    const sample = file('items.csv', ITEMS_SAMPLE);
    const r = await cli([sample, '--dataset-group', uniqueName('cli-infer'), '--type', 'Items', '--infer-schema', ...common]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const printed = r.stdout.slice(r.stdout.indexOf('{'), r.stdout.lastIndexOf('}') + 1);
    assert.deepEqual(JSON.parse(printed).fields, [
      { name: 'ITEM_ID', type: 'string' },
      { name: 'GENRE', type: 'string', categorical: true },
      { name: 'PRICE', type: 'double' },
      { name: 'STOCK', type: 'long' },
      { name: 'IN_STOCK', type: 'boolean' },
      { name: 'CREATION_TIMESTAMP', type: 'long' },
      { name: 'DESCRIPTION', type: 'string', textual: true },
    ]);
    assert.match(r.stderr, /columns not in the schema \(names Avro cannot hold; the import ignores them\): item name/);
    assert.match(r.stdout, /ACTIVE: imported 300 rows/);
  });

  it('infers reserved interaction fields as Personalize requires, whatever the data looks like', async () => {
    // TIMESTAMP values look like decimals and EVENT_VALUE like integers: the reserved types win.
    const rows = Array.from(
      { length: 50 },
      (_, i) => `u${i % 5},i${i % 9},${1_700_000_000 + i},${i % 2 ? 'click' : 'buy'},${i % 4},${i % 3 ? 'web' : ''}`,
    );
    const path = file('inter.csv', csv('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,CHANNEL', rows));
    const inferred = await inferSchema(path, 'INTERACTIONS');
    assert.deepEqual(JSON.parse(inferred.json).fields, [
      { name: 'USER_ID', type: 'string' },
      { name: 'ITEM_ID', type: 'string' },
      { name: 'TIMESTAMP', type: 'long' },
      { name: 'EVENT_TYPE', type: 'string' },
      { name: 'EVENT_VALUE', type: 'float' },
      { name: 'CHANNEL', type: ['null', 'string'], categorical: true },
    ]);
    assert.equal(inferred.schema.datasetType, 'INTERACTIONS');
  });

  it('errors are one line: no such data dir, missing schema for a new dataset, usage', async () => {
    const good = join(dir, 'good.csv');
    const cases: [string[], number, RegExp][] = [
      [
        [good, '--dataset-group', group, '--type', 'Interactions', '--endpoint', svc.endpoint, '--data-dir', join(dir, 'nowhere')],
        2,
        /the data dir .*nowhere does not exist: pass --data-dir/,
      ],
      [
        [good, '--dataset-group', group, '--type', 'Items', ...common],
        2,
        /has no Items dataset yet: give --schema SCHEMA\.json or --infer-schema/,
      ],
      [[good, '--dataset-group', group, ...common], 2, /import needs --type/],
      [
        [good, '--dataset-group', group, '--type', 'Items', '--schema', good, '--infer-schema', ...common],
        2,
        /either --schema or --infer-schema/,
      ],
    ];
    for (const [args, code, message] of cases) {
      // In this process (the messages are the command's own); the process case is below.
      let err = '';
      const io: Io = { out: () => {}, err: (s) => void (err += s), tty: false, env: {} };
      assert.equal(await runCommand(importCommand, args, io), code, err);
      assert.match(err, message);
      assert.equal(err.trimEnd().split('\n').length, 1, `one line: ${err}`);
    }
  });

  it('an unreachable service: one line on stderr (no SDK warning block), exit 1', async () => {
    const r = await cli([
      join(dir, 'good.csv'),
      '--dataset-group',
      group,
      '--type',
      'Interactions',
      '--endpoint',
      'http://127.0.0.1:9',
      '--data-dir',
      svc.dataDir,
    ]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'openpersonalize: cannot reach the service at http://127.0.0.1:9 (is openpersonalize serve running? --endpoint URL)\n',
    );
  });
});
