// The machine's python3 clients against the running server: boto3 (a full smoke run) and the
// AWS CLI (the README's example). botocore parses our answers with the same model we serve.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { csv, trafficRows4 } from '../testkit/rows.ts';

const here = dirname(fileURLToPath(import.meta.url));
// Asynchronous on purpose: the server under test runs in this process and must keep answering.
function run(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', env: awsEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr, error: error && typeof error.code !== 'number' ? error : undefined });
    });
  });
}

const awsEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIDCLI',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PAGER: '',
};

describe('python clients', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.close());

  it('boto3 runs the smoke script', async () => {
    const r = await run('python3', [join(here, 'boto3_smoke.py'), svc.endpoint]);
    assert.equal(r.error, undefined, `python3 could not run: ${r.error?.message}`);
    assert.equal(r.status, 0, `boto3 smoke failed:\n${r.stderr}`);
    const summary = JSON.parse(r.stdout) as { ok: boolean; schemas: number; invalidInputMessage: string };
    assert.equal(summary.ok, true);
    assert.equal(summary.schemas, 8);
    assert.match(summary.invalidInputMessage, /record|schema/i);
  });

  it("boto3 personalize-events puts events and users, with the model's error codes", async () => {
    const r = await run('python3', [join(here, 'boto3_events_smoke.py'), svc.endpoint]);
    assert.equal(r.error, undefined, `python3 could not run: ${r.error?.message}`);
    assert.equal(r.status, 0, `boto3 events smoke failed:\n${r.stderr}`);
    const summary = JSON.parse(r.stdout) as { ok: boolean; badValueMessage: string };
    assert.equal(summary.ok, true);
    assert.match(summary.badValueMessage, /AGE|age/);
  });

  it("boto3 runs the getting-started notebook's training calls as written", async () => {
    const bucket = localBucket(svc.dataDir);
    await bucket.put(
      'notebook/interactions.csv',
      csv(
        'USER_ID,ITEM_ID,TIMESTAMP',
        trafficRows4(3000).map((r) => r.split(',').slice(0, 3).join(',')),
      ),
    );
    const r = await run('python3', [join(here, 'boto3_training_smoke.py'), svc.endpoint, `s3://${bucket.name}/notebook/interactions.csv`]);
    assert.equal(r.error, undefined, `python3 could not run: ${r.error?.message}`);
    assert.equal(r.status, 0, `boto3 training smoke failed:\n${r.stderr}`);
    const summary = JSON.parse(r.stdout) as { ok: boolean; statuses: string[]; metrics: Record<string, number> };
    assert.equal(summary.ok, true);
    assert.equal(summary.statuses[summary.statuses.length - 1], 'ACTIVE');
    assert.ok(
      summary.statuses.every((s) => ['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(s)),
      summary.statuses.join(', '),
    );
    assert.deepEqual(Object.keys(summary.metrics).sort(), [
      'coverage',
      'mean_reciprocal_rank_at_25',
      'normalized_discounted_cumulative_gain_at_10',
      'normalized_discounted_cumulative_gain_at_25',
      'normalized_discounted_cumulative_gain_at_5',
      'precision_at_10',
      'precision_at_25',
      'precision_at_5',
    ]);
  });

  it('the AWS CLI creates and describes a schema (the README example)', async () => {
    const name = uniqueName('cli');
    const create = await run('aws', [
      'personalize',
      'create-schema',
      '--endpoint-url',
      svc.endpoint,
      '--name',
      name,
      '--schema',
      minimalSchemas.interactions,
    ]);
    assert.equal(create.error, undefined, `aws could not run: ${create.error?.message}`);
    assert.equal(create.status, 0, create.stderr);
    const { schemaArn } = JSON.parse(create.stdout) as { schemaArn: string };
    assert.equal(schemaArn, `arn:aws:personalize:us-east-1:000000000000:schema/${name}`);
    const described = await run('aws', ['personalize', 'describe-schema', '--endpoint-url', svc.endpoint, '--schema-arn', schemaArn]);
    assert.equal(described.status, 0, described.stderr);
    assert.equal((JSON.parse(described.stdout) as { schema: { name: string } }).schema.name, name);
    const bad = await run('aws', ['personalize', 'create-schema', '--endpoint-url', svc.endpoint, '--name', 'bad name!', '--schema', '{}']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /ValidationException|validation error/);
  });
});
