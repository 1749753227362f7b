// AWS's POC-in-a-box notebooks 01 and 02 (aws-samples/amazon-personalize-samples,
// next_steps/workshops/POC_in_a_box/completed/), their data cells and boto3 calls as written, run by
// the machine's python3 against the service (test/api/boto3_poc_in_a_box_data.py): MovieLens-shaped
// ratings and movies become the notebooks' interactions.csv and item-meta.csv, put in a local
// bucket of the service, and both imports must end ACTIVE as they did on AWS — the Items file with
// 12 empty YEAR cells and a `2006–2007` under the notebook's non-nullable int YEAR (rules.md 42a),
// stored as null, as an export then shows.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../testkit/service-harness.ts';
import { localBucket } from '../testkit/import-fixtures.ts';

const here = dirname(fileURLToPath(import.meta.url));

// Asynchronous on purpose: the server under test runs in this process and must keep answering.
function python(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    execFile('python3', args, { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr, error: error && typeof error.code !== 'number' ? error : undefined });
    });
  });
}

describe('the POC-in-a-box notebooks 01-02, data cells and boto3 calls as written', () => {
  let svc: TestService;
  const scratch = mkdtempSync(join(tmpdir(), 'openpersonalize-poc-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('imports the interactions and the item metadata ACTIVE; empty and unreadable YEARs are stored as null', async () => {
    const bucket = localBucket(svc.dataDir);
    const r = await python([
      join(here, 'boto3_poc_in_a_box_data.py'),
      svc.endpoint,
      bucket.name,
      join(svc.dataDir, 'buckets', bucket.name),
      scratch,
    ]);
    assert.equal(r.error, undefined, `python3 could not run: ${r.error?.message}`);
    assert.equal(r.status, 0, `the notebook run failed:\n${r.stderr}`);
    const summary = JSON.parse(r.stdout) as {
      ok: boolean;
      interactionsJob: string;
      itemsJob: string;
      interactionRows: number;
      items: number;
      nullYears: number;
      unreadableYears: string[];
    };
    assert.deepEqual(
      { ...summary, interactionRows: summary.interactionRows > 1000 },
      {
        ok: true,
        interactionsJob: 'ACTIVE',
        itemsJob: 'ACTIVE',
        interactionRows: true,
        items: 600,
        nullYears: 13,
        unreadableYears: ['2006–2007'],
      },
    );
    // The file the notebook uploaded is in the bucket as written: 12 empty YEAR cells and one series.
    const items = await bucket.get('item-meta.csv');
    assert.equal(items.split('\n').filter((l) => l.endsWith(',')).length, 12);
    assert.match(items, /\n\d+,[^,\n]+,2006–2007\n/);
  });
});
