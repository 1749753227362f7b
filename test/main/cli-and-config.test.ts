// The command line and the configuration: help, refusal of bad values with a one-line reason,
// the effective configuration printed at start with secrets masked.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, describeConfig, loadConfig } from '../../src/config/config.ts';
import { startChildService } from '../testkit/child-service.ts';

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli.ts', ...args],
      { env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 4580);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.dataDir, './openpersonalize-data');
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.credentials, undefined);
    assert.equal(c.objectStore, 'local');
    assert.equal(c.maxPendingImports, 5);
  });

  it('refuses bad values with a reason naming the variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'abc' }, /PORT=abc/],
      [{ PORT: '70000' }, /PORT=70000/],
      [{ OPENPERSONALIZE_QUOTAS: 'lots' }, /OPENPERSONALIZE_QUOTAS/],
      [{ OPENPERSONALIZE_CREDENTIALS: 'justakey' }, /KEY:SECRET/],
      [{ OPENPERSONALIZE_CREDENTIALS: 'k:s:12345' }, /12 digits/],
      [{ OPENPERSONALIZE_DATABASE_URL: 'mysql://x' }, /OPENPERSONALIZE_DATABASE_URL/],
      [{ OPENPERSONALIZE_OBJECT_STORE: 'ftp' }, /OPENPERSONALIZE_OBJECT_STORE/],
      [{ OPENPERSONALIZE_DUCKDB_MEMORY_LIMIT: 'lots' }, /OPENPERSONALIZE_DUCKDB_MEMORY_LIMIT/],
    ];
    for (const [env, message] of cases)
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
        JSON.stringify(env),
      );
  });

  it('masks secrets when describing the configuration', () => {
    const c = loadConfig({
      OPENPERSONALIZE_CREDENTIALS: 'AKID1:topsecret:123456789012',
      OPENPERSONALIZE_DATABASE_URL: 'postgres://user:pw@db/x',
      OPENPERSONALIZE_SECRET: 'shh',
    });
    const text = JSON.stringify(describeConfig(c));
    assert.doesNotMatch(text, /topsecret|:pw@|shh/);
    assert.match(text, /AKID1:\*\*\*:123456789012/);
    assert.match(text, /postgres:\/\/user:\*\*\*@db\/x/);
  });
});

describe('command line', () => {
  it('--help lists serve and the options', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /openpersonalize serve/);
    assert.match(r.stdout, /--database-url/);
  });

  it('refuses to start on a bad value with one line and exit code 1', async () => {
    const r = await cli(['serve', '--port', 'abc']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /PORT=abc/);
    const unknown = await cli(['serve', '--colour', 'blue']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown option --colour/);
  });

  it('serve prints the effective configuration with secrets masked, answers, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openpersonalize-cli-'));
    try {
      const svc = await startChildService({ OPENPERSONALIZE_DATA_DIR: dataDir, OPENPERSONALIZE_CREDENTIALS: 'AKIDX:verysecret' });
      assert.match(svc.log(), /configuration \{/);
      assert.doesNotMatch(svc.log(), /verysecret/);
      const health = await fetch(`${svc.endpoint}/health`);
      assert.equal(health.status, 200);
      assert.equal(await svc.stop(), 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
