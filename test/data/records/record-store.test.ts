// The RecordStore contract (src/data/records/record-store.ts) on both catalog backends: durable puts
// with group commit, replacement by key, the dataset incarnation check, the cascade with the
// dataset row, deleteUsers for data deletion jobs, and the per-user reads and stamps of serving.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Catalog } from '../../../src/catalog/catalog.ts';
import { openCatalog } from '../../../src/catalog/open-catalog.ts';
import { sqlAccessOf } from '../../../src/catalog/sql/sql-catalog.ts';
import { DatasetGoneError, type NewRecord } from '../../../src/data/records/record-store.ts';
import { SqlRecordStore } from '../../../src/data/records/sql-record-store.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../../testkit/postgres-db.ts';

const pgDatabase = await createDatabase();
after(() => dropDatabase(pgDatabase));

async function dataset(catalog: Catalog, name: string, createdAt = 1000): Promise<{ arn: string; createdAt: number }> {
  const arn = `arn:aws:personalize:us-east-1:000000000000:dataset/${name}/USERS`;
  await catalog.insert({
    arn,
    account: '000000000000',
    region: 'us-east-1',
    kind: 'dataset',
    name,
    parentArn: null,
    status: 'ACTIVE',
    createdAt,
    updatedAt: createdAt,
    body: {},
  });
  return { arn, createdAt };
}

const user = (id: string, age: string): NewRecord => ({ key: id, userId: id, cells: { USER_ID: id, AGE: age } });

function conformance(backend: string, open: () => Promise<Catalog>): void {
  describe(`record store on ${backend}`, () => {
    it('stores puts, replaces by key (last wins within a call and across calls) and pages in key order', async () => {
      const catalog = await open();
      const store = new SqlRecordStore(sqlAccessOf(catalog));
      try {
        const ds = await dataset(catalog, `a${Date.now()}`);
        await store.put(ds, [user('u1', '1'), user('u2', '2'), user('u1', '11')], 10);
        await store.put(ds, [user('u2', '22')], 20);
        const all = await store.scan(ds.arn);
        assert.deepEqual(
          all.map((r) => [r.key, r.cells.AGE, r.putAt]),
          [
            ['u1', '11', 10],
            ['u2', '22', 20],
          ],
        );
        assert.equal(await store.count(ds.arn), 2);
        assert.deepEqual(await store.distinctCells(ds.arn, 'AGE', 10), ['11', '22']);
        assert.deepEqual(await store.distinctCells(ds.arn, 'AGE', 1), ['11']);
        await store.put(ds, [{ key: 'u3', userId: 'u3', cells: { USER_ID: 'u3', AGE: null } }, user('u4', '')], 30);
        assert.deepEqual(await store.distinctCells(ds.arn, 'AGE', 10), ['11', '22'], 'null and empty cells are no value');
        assert.deepEqual(await store.distinctCells(ds.arn, 'MISSING', 10), []);
        const page = await store.scan(ds.arn, { after: 'u1', limit: 5 });
        assert.deepEqual(
          page.map((r) => r.key),
          ['u2', 'u3', 'u4'],
        );
      } finally {
        await store.close();
        await catalog.close();
      }
    });

    it("reads one user's records, and a stamp that changes with every put (serving's reads)", async () => {
      const catalog = await open();
      const store = new SqlRecordStore(sqlAccessOf(catalog));
      try {
        const ds = await dataset(catalog, `s${Date.now()}`);
        assert.deepEqual(await store.stamp(ds.arn), { count: 0, lastPutAt: 0 });
        await store.put(ds, [user('u1', '1'), user('u2', '2')], 10);
        assert.deepEqual(await store.stamp(ds.arn), { count: 2, lastPutAt: 10 });
        assert.deepEqual(
          (await store.forUser(ds.arn, 'u2')).map((r) => [r.key, r.cells.AGE, r.putAt]),
          [['u2', '2', 10]],
        );
        assert.deepEqual(await store.forUser(ds.arn, 'nobody'), []);
        // A replacement keeps the count; the stamp still changes.
        await store.put(ds, [user('u2', '3')], 20);
        assert.deepEqual(await store.stamp(ds.arn), { count: 2, lastPutAt: 20 });
        assert.equal((await store.forUser(ds.arn, 'u2'))[0].cells.AGE, '3');
      } finally {
        await store.close();
        await catalog.close();
      }
    });

    it('groups concurrent puts and loses none; a gone dataset fails only its own put', async () => {
      const catalog = await open();
      const store = new SqlRecordStore(sqlAccessOf(catalog));
      try {
        const ds = await dataset(catalog, `b${Date.now()}`);
        const ghost = { arn: `${ds.arn}-missing`, createdAt: 1 };
        const stale = { arn: ds.arn, createdAt: ds.createdAt + 1 };
        const puts = Array.from({ length: 300 }, (_, i) => store.put(ds, [user(`u${i}`, String(i))], i));
        const failures = [store.put(ghost, [user('x', '1')], 1), store.put(stale, [user('y', '1')], 1)];
        await Promise.all(puts);
        for (const f of failures) await assert.rejects(f, DatasetGoneError);
        assert.equal(await store.count(ds.arn), 300);
        assert.equal(
          (await store.scan(ds.arn, { limit: 1000 })).some((r) => r.key === 'y'),
          false,
        );
      } finally {
        await store.close();
        await catalog.close();
      }
    });

    it('deleteUsers removes those users from the given datasets only, and deleting the dataset removes its records', async () => {
      const catalog = await open();
      const store = new SqlRecordStore(sqlAccessOf(catalog));
      try {
        const a = await dataset(catalog, `c${Date.now()}`);
        const b = await dataset(catalog, `d${Date.now()}`);
        const other = await dataset(catalog, `e${Date.now()}`);
        const items = { key: 'i1', userId: null, cells: { ITEM_ID: 'i1' } };
        for (const ds of [a, b, other]) await store.put(ds, [user('u1', '1'), user('u2', '2'), user('u3', '3'), items], 5);
        const many = [...Array.from({ length: 1200 }, (_, i) => `nobody${i}`), 'u1', 'u3'];
        assert.equal(await store.deleteUsers([a.arn, b.arn, 'arn:aws:personalize:us-east-1:000000000000:dataset/none/USERS'], many), 4);
        assert.deepEqual(
          (await store.scan(a.arn)).map((r) => r.key),
          ['i1', 'u2'],
        );
        assert.deepEqual(
          (await store.scan(b.arn)).map((r) => r.key),
          ['i1', 'u2'],
        );
        assert.equal(await store.count(other.arn), 4, 'a dataset not named keeps its users');
        assert.equal(await store.deleteUsers([], ['u2']), 0);
        await catalog.delete(other.arn);
        assert.equal(await store.count(other.arn), 0, 'the records go with the dataset row');
      } finally {
        await store.close();
        await catalog.close();
      }
    });

    it('deleteUsers within a catalog transaction commits and rolls back with it', async () => {
      const catalog = await open();
      const store = new SqlRecordStore(sqlAccessOf(catalog));
      try {
        const a = await dataset(catalog, `t${Date.now()}`);
        await store.put(a, [user('u1', '1'), user('u2', '2')], 5);
        await assert.rejects(
          catalog.transaction(async (tx) => {
            assert.equal(await store.deleteUsers([a.arn], ['u1'], tx), 1);
            await tx.update({ ...(await tx.get(a.arn))!, status: 'CHANGED' });
            throw new Error('the job failed after deleting');
          }),
          /the job failed/,
        );
        assert.deepEqual(
          (await store.scan(a.arn)).map((r) => r.key),
          ['u1', 'u2'],
          'rolled back with the transaction',
        );
        assert.equal((await catalog.get(a.arn))?.status, 'ACTIVE');
        await catalog.transaction(async (tx) => {
          await store.deleteUsers([a.arn], ['u1'], tx);
          await tx.update({ ...(await tx.get(a.arn))!, status: 'CHANGED' });
        });
        assert.deepEqual(
          (await store.scan(a.arn)).map((r) => r.key),
          ['u2'],
          'committed with the transaction',
        );
        assert.equal((await catalog.get(a.arn))?.status, 'CHANGED');
      } finally {
        await store.close();
        await catalog.close();
      }
    });
  });
}

conformance('SQLite', () => openCatalog('sqlite::memory:', '/tmp'));
conformance('PostgreSQL', () => openCatalog(databaseUrl(pgDatabase), '/tmp'));
