// Runs the conformance suite against a real PostgreSQL: a fresh database per run, dropped at the
// end. PostgreSQL being unreachable is a failure, never a skip: a silently skipped backend would
// let it rot unnoticed.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { LATEST_VERSION, MIGRATIONS } from '../../src/catalog/sql/migrations.ts';
import { openCatalog } from '../../src/catalog/open-catalog.ts';
import { PostgresCatalog, advisoryLockKey } from '../../src/catalog/postgres/postgres-catalog.ts';
import { runCatalogConformance } from './catalog-conformance.ts';
import { runQueueConformance } from './queue-conformance.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../testkit/postgres-db.ts';

async function appliedVersions(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => Number(r.version));
  } finally {
    await client.end();
  }
}

// Top-level await: an unreachable server fails this file right here, with the message above.
const database = await createDatabase();
const url = databaseUrl(database);
// After every suite of this file (WITH (FORCE) ends any connection a failed test left open).
after(() => dropDatabase(database));

describe('PostgreSQL catalog specifics', () => {
  it('reports its capabilities and rejects lock() outside a transaction', async () => {
    const catalog = await PostgresCatalog.open(url);
    try {
      assert.deepEqual(catalog.capabilities, { multiProcess: true });
      assert.equal(catalog.dialect.name, 'postgres');
      await assert.rejects(catalog.lock('quota'), /outside a transaction/);
      assert.equal(await catalog.transaction(async (tx) => (await tx.lock('quota'), 'locked')), 'locked');
    } finally {
      await catalog.close();
    }
  });

  it('hashes lock keys to signed 64-bit integers', () => {
    const key = BigInt(advisoryLockKey('quota'));
    assert.ok(key >= -(2n ** 63n) && key < 2n ** 63n);
    assert.equal(advisoryLockKey('quota'), advisoryLockKey('quota'));
    assert.notEqual(advisoryLockKey('quota'), advisoryLockKey('quota2'));
  });

  it('migrates a fresh database once when several processes open it at the same time', async () => {
    const name = await createDatabase();
    try {
      const fresh = databaseUrl(name);
      // Separate pools stand in for separate processes: each migrates on its own connection.
      const catalogs = await Promise.all(Array.from({ length: 4 }, () => PostgresCatalog.open(fresh)));
      await Promise.all(catalogs.map((c) => c.close()));
      assert.deepEqual(
        await appliedVersions(fresh),
        MIGRATIONS.map((m) => m.version),
      );
    } finally {
      await dropDatabase(name);
    }
  });

  it('records each migration exactly once and refuses a schema from a newer version', async () => {
    assert.deepEqual(
      await appliedVersions(url),
      MIGRATIONS.map((m) => m.version),
    );
    const name = await createDatabase();
    try {
      const future = databaseUrl(name);
      await (await PostgresCatalog.open(future)).close();
      const client = new pg.Client({ connectionString: future });
      await client.connect();
      await client.query("INSERT INTO schema_migrations VALUES ($1, 'future', 0)", [LATEST_VERSION + 1]);
      await client.end();
      await assert.rejects(PostgresCatalog.open(future), /newer than this openpersonalize supports/);
    } finally {
      await dropDatabase(name);
    }
  });

  it('keeps uncommitted writes invisible to other connections until commit', async () => {
    const catalog = await PostgresCatalog.open(url);
    try {
      const r = {
        arn: 'arn:isolation',
        account: 'iso',
        region: 'r',
        kind: 'schema' as const,
        name: 'iso',
        parentArn: null,
        status: null,
        createdAt: 1,
        updatedAt: 1,
        body: {},
      };
      await catalog.transaction(async (tx) => {
        await tx.insert(r);
        assert.equal(await catalog.get(r.arn), undefined);
      });
      assert.deepEqual(await catalog.get(r.arn), { ...r, version: 1 });
    } finally {
      await catalog.close();
    }
  });

  it('names the server without its password when it cannot connect', async () => {
    await assert.rejects(PostgresCatalog.open('postgres://someone:hunter2@127.0.0.1:1/nothing'), (err: Error) => {
      assert.match(err.message, /cannot open PostgreSQL catalog at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nothing/);
      assert.doesNotMatch(err.message, /hunter2/);
      return true;
    });
  });
});

runCatalogConformance('postgres', () => openCatalog(url, '/nonexistent-unused'));
runQueueConformance('postgres', () => openCatalog(url, '/nonexistent-unused'));
