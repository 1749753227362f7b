// Deployments refused at start with a one-line reason: api/worker roles without PostgreSQL, S3 or
// a shared secret, and a second process on one SQLite catalog.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { holdCatalogLock } from '../../src/catalog/sqlite/sqlite-process-lock.ts';

const SCALE_OUT = { OPENPERSONALIZE_DATABASE_URL: 'postgres://db/x', OPENPERSONALIZE_OBJECT_STORE: 's3', OPENPERSONALIZE_SECRET: 'shared' };

describe('roles', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'openpersonalize-roles-'));
    dirs.push(d);
    return d;
  };

  it('defaults to all, and accepts api and worker on PostgreSQL + S3 with a secret', () => {
    assert.equal(loadConfig({}).role, 'all');
    assert.equal(loadConfig({ ...SCALE_OUT, OPENPERSONALIZE_ROLE: 'api' }).role, 'api');
    const worker = loadConfig({ ...SCALE_OUT, OPENPERSONALIZE_ROLE: 'worker', OPENPERSONALIZE_JOB_LEASE_MS: '1500' });
    assert.equal(worker.role, 'worker');
    assert.equal(worker.jobLeaseMs, 1500);
    assert.equal(worker.shutdownGraceMs, 20_000);
  });

  it('refuses api/worker without a shared secret, on SQLite, or on the local object store', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...SCALE_OUT, OPENPERSONALIZE_ROLE: 'both' }, /OPENPERSONALIZE_ROLE=both must be/],
      [{ ...SCALE_OUT, OPENPERSONALIZE_ROLE: 'api', OPENPERSONALIZE_SECRET: '' }, /OPENPERSONALIZE_ROLE=api needs OPENPERSONALIZE_SECRET/],
      [{ ...SCALE_OUT, OPENPERSONALIZE_ROLE: 'worker', OPENPERSONALIZE_DATABASE_URL: '' }, /needs a PostgreSQL catalog/],
      [
        { ...SCALE_OUT, OPENPERSONALIZE_ROLE: 'worker', OPENPERSONALIZE_DATABASE_URL: 'sqlite:/tmp/x.sqlite' },
        /needs a PostgreSQL catalog/,
      ],
      [{ ...SCALE_OUT, OPENPERSONALIZE_ROLE: 'api', OPENPERSONALIZE_OBJECT_STORE: 'local' }, /needs OPENPERSONALIZE_OBJECT_STORE=s3/],
      [{ ...SCALE_OUT, OPENPERSONALIZE_JOB_LEASE_MS: '10' }, /OPENPERSONALIZE_JOB_LEASE_MS=10/],
    ];
    for (const [env, message] of cases) {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('\n'),
        JSON.stringify(env),
      );
    }
  });

  it('refuses a second live process on one SQLite catalog, and takes over the lock of a dead one', () => {
    const dataDir = tempDir();
    const config = loadConfig({ OPENPERSONALIZE_DATA_DIR: dataDir });
    const lockPath = join(dataDir, 'catalog.sqlite.lock');
    // Another live process (our parent) holds it.
    writeFileSync(lockPath, String(process.ppid));
    assert.throws(
      () => holdCatalogLock(config),
      (e: unknown) => e instanceof ConfigError && new RegExp(`in use by process ${process.ppid}; .*PostgreSQL`).test(e.message),
    );
    // A process that died (kill -9) left it: taken over.
    writeFileSync(lockPath, '999999999');
    const release = holdCatalogLock(config);
    assert.equal(readFileSync(lockPath, 'utf8'), String(process.pid));
    // A second service in this process shares it; the file goes with the last one.
    const release2 = holdCatalogLock(config);
    release();
    assert.equal(readFileSync(lockPath, 'utf8'), String(process.pid));
    release2();
    assert.throws(() => readFileSync(lockPath), /ENOENT/);
  });

  it('the CLI refuses a worker without a secret with one line and exit code 1', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/main/cli.ts', 'serve', '--role', 'worker'],
        { env: { ...process.env, ...SCALE_OUT, OPENPERSONALIZE_SECRET: '' }, timeout: 30_000 },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
    });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('openpersonalize:')).length,
      1,
    );
    assert.match(r.stderr, /^openpersonalize: OPENPERSONALIZE_ROLE=worker needs OPENPERSONALIZE_SECRET/m);
  });
});
