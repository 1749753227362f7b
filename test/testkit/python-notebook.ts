// Runs one of test/api/boto3_notebook_*.py — the cells of an AWS sample notebook, their boto3 code
// as written — with the machine's python3 against a service of this process, and returns the JSON
// summary the script prints. Asynchronous on purpose: the server under test runs in this process
// and must keep answering while the script calls it. A 12-digit access key is the account.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localBucket } from './import-fixtures.ts';
import type { TestService } from './service-harness.ts';

const SCRIPTS = resolve(import.meta.dirname, '..', 'api');

export async function runNotebook<T>(
  svc: TestService,
  script: string,
  account: string,
  scratchRoot: string,
  timeoutMs = 60_000,
): Promise<T> {
  const bucket = localBucket(svc.dataDir);
  const scratch = mkdtempSync(join(scratchRoot, 'nb-'));
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: account,
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    // The scripts import boto3_notebook_data.py: no __pycache__ left in test/api.
    PYTHONDONTWRITEBYTECODE: '1',
  };
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }>((done) => {
    execFile(
      'python3',
      [join(SCRIPTS, script), svc.endpoint, bucket.name, join(svc.dataDir, 'buckets', bucket.name), scratch],
      { encoding: 'utf8', env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ status, stdout, stderr, error: error && typeof error.code !== 'number' ? error : undefined });
      },
    );
  });
  assert.equal(r.error, undefined, `python3 could not run ${script}: ${r.error?.message}\n${r.stderr.slice(-4000)}`);
  assert.equal(r.status, 0, `${script} failed:\n${r.stderr.slice(-4000)}`);
  const summary = JSON.parse(r.stdout) as T & { ok: boolean };
  assert.equal(summary.ok, true);
  return summary;
}
