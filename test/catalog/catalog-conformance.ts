// The one contract both catalog backends are held to. `open` must return a new Catalog on the
// same storage every time it is called (that is how persistence and reopening are checked), so
// every test works under its own account id and never sees another test's rows.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { CatalogConflictError, type Catalog, type ResourceKind, type ResourceRecord } from '../../src/catalog/catalog.ts';

type NewRecord = Omit<ResourceRecord, 'version'>;

let accounts = 0;
/** A 12-digit account id unique to this run and test. */
function freshAccount(): string {
  return `${randomBytes(3).readUIntBE(0, 3) % 1e6}`.padStart(6, '0') + `${++accounts}`.padStart(6, '0');
}

function record(account: string, name: string, over: Partial<NewRecord> = {}): NewRecord {
  const region = over.region ?? 'us-east-1';
  const kind = over.kind ?? 'schema';
  return {
    arn: `arn:aws:personalize:${region}:${account}:${kind}/${name}`,
    account,
    region,
    kind,
    name,
    parentArn: null,
    status: 'ACTIVE',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    body: { name },
    ...over,
  };
}

function conflict(reason: CatalogConflictError['reason']): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof CatalogConflictError, `expected CatalogConflictError, got ${String(e)}`);
    assert.equal(e.reason, reason);
    return true;
  };
}

/** Expected order of rows, computed independently of the database. */
function sorted(rows: NewRecord[], order: 'newest' | 'oldest'): string[] {
  const asc = [...rows].sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  return (order === 'newest' ? asc.reverse() : asc).map((r) => r.arn);
}

export function runCatalogConformance(name: string, open: () => Promise<Catalog>, cleanup?: () => Promise<void>): void {
  describe(`catalog conformance: ${name}`, () => {
    let catalog: Catalog;
    before(async () => {
      catalog = await open();
    });
    after(async () => {
      await catalog?.close();
      await cleanup?.();
    });

    it('round-trips every field, including a nested JSON body and nulls', async () => {
      const acct = freshAccount();
      const full = record(acct, 'full', {
        kind: 'dataset',
        parentArn: `arn:aws:personalize:us-east-1:${acct}:dataset-group/g`,
        status: 'CREATE PENDING',
        createdAt: 1_700_000_000_123,
        updatedAt: 1_700_000_000_456,
        body: {
          n: 1,
          f: -2.5,
          t: true,
          nothing: null,
          empty: {},
          list: [1, 'two', null, false, { deep: [[], { x: 'y' }] }],
          nested: { a: { b: { c: 'd' } } },
        },
      });
      const inserted = await catalog.insert(full);
      assert.deepEqual(inserted, { ...full, version: 1 });
      assert.deepEqual(await catalog.get(full.arn), { ...full, version: 1 });

      const bare = record(acct, 'bare', { parentArn: null, status: null, createdAt: 0, updatedAt: 8_640_000_000_000_000 });
      await catalog.insert(bare);
      const got = await catalog.get(bare.arn);
      assert.deepEqual(got, { ...bare, version: 1 });
      assert.equal(typeof got?.createdAt, 'number');
      assert.equal(await catalog.get(`${bare.arn}-missing`), undefined);
    });

    it('round-trips unicode and SQL-looking text in every text field', async () => {
      const acct = freshAccount();
      const weird = `é日本語🎉 '"\\ ? $1 ; DROP TABLE resources; --`;
      const r = record(acct, `n-${weird}`, { status: weird, parentArn: `p-${weird}`, body: { [weird]: weird, s: '\n\t\u2028' } });
      await catalog.insert(r);
      assert.deepEqual(await catalog.get(r.arn), { ...r, version: 1 });
      await catalog.putTags(r.arn, [{ key: weird, value: weird }]);
      assert.deepEqual(await catalog.getTags(r.arn), [{ key: weird, value: weird }]);
      assert.equal(await catalog.count({ account: acct, region: 'us-east-1', kind: 'schema', statusIn: [weird] }), 1);
    });

    it('stores a body larger than 100 KB', async () => {
      const acct = freshAccount();
      const items = Array.from({ length: 1500 }, (_, i) => ({ i, text: `item ${i} ${'x'.repeat(60)}` }));
      const r = record(acct, 'large', { body: { items, blob: 'é'.repeat(20_000) } });
      assert.ok(JSON.stringify(r.body).length > 100 * 1024);
      await catalog.insert(r);
      assert.deepEqual((await catalog.get(r.arn))?.body, r.body);
    });

    it('rejects a duplicate ARN with CatalogConflictError(exists) and keeps the original', async () => {
      const r = record(freshAccount(), 'dup');
      await catalog.insert(r);
      await assert.rejects(catalog.insert({ ...r, name: 'other', body: { other: true } }), conflict('exists'));
      assert.deepEqual(await catalog.get(r.arn), { ...r, version: 1 });
    });

    it('update replaces name, parentArn, status, updatedAt and body and bumps the version', async () => {
      const r = record(freshAccount(), 'upd');
      const v1 = await catalog.insert(r);
      const v2 = await catalog.update({
        ...v1,
        name: 'renamed',
        parentArn: 'arn:parent',
        status: 'ACTIVE',
        updatedAt: r.updatedAt + 10,
        body: { changed: [1, 2] },
      });
      assert.equal(v2.version, 2);
      assert.deepEqual(await catalog.get(r.arn), v2);
      assert.deepEqual(v2, {
        ...r,
        name: 'renamed',
        parentArn: 'arn:parent',
        updatedAt: r.updatedAt + 10,
        body: { changed: [1, 2] },
        version: 2,
      });

      // createdAt is not among the replaced fields: list order never moves under a row.
      const v3 = await catalog.update({ ...v2, parentArn: null, status: null, createdAt: 1, updatedAt: r.updatedAt + 20 }, 2);
      assert.equal(v3.version, 3);
      assert.equal(v3.createdAt, r.createdAt);
      assert.deepEqual(await catalog.get(r.arn), { ...v2, parentArn: null, status: null, updatedAt: r.updatedAt + 20, version: 3 });
    });

    it('update with a stale expectedVersion fails with (version) and changes nothing', async () => {
      const r = record(freshAccount(), 'stale');
      const v1 = await catalog.insert(r);
      await catalog.update({ ...v1, status: 'ACTIVE' }, 1);
      await assert.rejects(catalog.update({ ...v1, status: 'DELETE PENDING' }, 1), conflict('version'));
      const stored = await catalog.get(r.arn);
      assert.equal(stored?.version, 2);
      assert.equal(stored?.status, 'ACTIVE');
    });

    it('update of a missing row fails with (missing), with or without expectedVersion', async () => {
      const r = { ...record(freshAccount(), 'ghost'), version: 1 };
      await assert.rejects(catalog.update(r), conflict('missing'));
      await assert.rejects(catalog.update(r, 1), conflict('missing'));
      assert.equal(await catalog.get(r.arn), undefined);
    });

    it('delete returns true then false and removes the tags', async () => {
      const r = record(freshAccount(), 'del');
      await catalog.insert(r);
      await catalog.putTags(r.arn, [{ key: 'a', value: '1' }]);
      assert.equal(await catalog.delete(r.arn), true);
      assert.equal(await catalog.get(r.arn), undefined);
      assert.deepEqual(await catalog.getTags(r.arn), []);
      assert.equal(await catalog.delete(r.arn), false);
      await catalog.insert(r);
      assert.deepEqual(await catalog.getTags(r.arn), [], 'a re-created resource must not inherit old tags');
    });

    it('list and count filter by account, region, kind, parentArn and statusIn', async () => {
      const a = freshAccount();
      const b = freshAccount();
      const g1 = `arn:aws:personalize:us-east-1:${a}:dataset-group/g1`;
      const g2 = `arn:aws:personalize:us-east-1:${a}:dataset-group/g2`;
      const rows = [
        record(a, 's1', { status: 'ACTIVE' }),
        record(a, 's2', { status: 'CREATE FAILED' }),
        record(a, 's3', { status: 'CREATE PENDING' }),
        record(a, 'd1', { kind: 'dataset', parentArn: g1 }),
        record(a, 'd2', { kind: 'dataset', parentArn: g2 }),
        record(a, 'd3', { kind: 'dataset', parentArn: g1, status: 'CREATE FAILED' }),
        record(a, 's-west', { region: 'us-west-2' }),
        record(b, 's1'),
        record(b, 'd1', { kind: 'dataset', parentArn: g1 }),
      ];
      for (const r of rows) await catalog.insert(r);
      const names = async (q: Parameters<Catalog['list']>[0]) =>
        (await catalog.list(q)).map((r) => `${r.account === a ? 'a' : 'b'}:${r.name}`).sort();
      const base = { account: a, region: 'us-east-1' };

      assert.deepEqual(await names({ ...base, kind: 'schema' }), ['a:s1', 'a:s2', 'a:s3']);
      assert.deepEqual(await names({ ...base, kind: 'dataset' }), ['a:d1', 'a:d2', 'a:d3']);
      assert.deepEqual(await names({ ...base, kind: 'dataset', parentArn: g1 }), ['a:d1', 'a:d3']);
      assert.deepEqual(await names({ ...base, kind: 'dataset', parentArn: g1, statusIn: ['ACTIVE'] }), ['a:d1']);
      assert.deepEqual(await names({ ...base, kind: 'schema', statusIn: ['ACTIVE', 'CREATE FAILED'] }), ['a:s1', 'a:s2']);
      assert.deepEqual(await names({ ...base, kind: 'schema', statusIn: [] }), [], 'an empty statusIn matches nothing');
      assert.deepEqual(await names({ account: a, region: 'us-west-2', kind: 'schema' }), ['a:s-west']);
      assert.deepEqual(await names({ account: b, region: 'us-east-1', kind: 'schema' }), ['b:s1']);
      assert.deepEqual(await names({ account: b, region: 'us-east-1', kind: 'dataset', parentArn: g1 }), ['b:d1']);
      assert.deepEqual(await names({ ...base, kind: 'filter' }), []);

      assert.equal(await catalog.count({ ...base, kind: 'schema' }), 3);
      assert.equal(await catalog.count({ ...base, kind: 'dataset', parentArn: g1 }), 2);
      assert.equal(await catalog.count({ ...base, kind: 'dataset', parentArn: g1, statusIn: ['CREATE FAILED'] }), 1);
      assert.equal(await catalog.count({ ...base, kind: 'schema', statusIn: ['ACTIVE', 'CREATE FAILED'] }), 2);
      assert.equal(await catalog.count({ ...base, kind: 'schema', statusIn: [] }), 0);
      assert.equal(await catalog.count({ account: a, region: 'us-west-2', kind: 'schema' }), 1);
      assert.equal(await catalog.count({ account: b, region: 'us-east-1', kind: 'dataset' }), 1);
      assert.equal(await catalog.count({ ...base, kind: 'filter' }), 0);
    });

    it('orders newest (createdAt DESC, arn DESC) by default and oldest on request', async () => {
      const acct = freshAccount();
      // Mixed case and punctuation: the arn tiebreak must be byte order on every backend ('B'
      // before 'a'), whatever the server's locale says.
      const specs: Array<[string, number]> = [
        ['b', 200],
        ['B', 200],
        ['a', 200],
        ['A', 200],
        ['a-b', 200],
        ['ab', 200],
        ['Z', 100],
        ['z', 300],
        ['m', 150],
      ];
      const rows = specs.map(([n, t]) => record(acct, n, { kind: 'filter', createdAt: t }));
      for (const r of rows) await catalog.insert(r);
      const q = { account: acct, region: 'us-east-1', kind: 'filter' as ResourceKind };
      const arns = async (order?: 'newest' | 'oldest') => (await catalog.list({ ...q, order })).map((r) => r.arn);
      assert.deepEqual(await arns(), sorted(rows, 'newest'));
      assert.deepEqual(await arns('newest'), sorted(rows, 'newest'));
      assert.deepEqual(await arns('oldest'), sorted(rows, 'oldest'));
      assert.deepEqual(
        (await catalog.list({ ...q, limit: 2 })).map((r) => r.name),
        ['z', 'b'],
      );
    });

    it('keyset pagination visits every row exactly once, ties on createdAt included', async () => {
      const acct = freshAccount();
      const rows = Array.from({ length: 23 }, (_, i) =>
        record(acct, `r${String((i * 7) % 23).padStart(2, '0')}`, {
          kind: 'dataset-import-job',
          createdAt: 1000 + Math.floor(i / 4),
          status: i % 3 ? 'ACTIVE' : 'FAILED',
        }),
      );
      for (const r of rows) await catalog.insert(r);
      const q = { account: acct, region: 'us-east-1', kind: 'dataset-import-job' as ResourceKind };
      for (const order of ['newest', 'oldest'] as const) {
        for (const [statusIn, expectedRows] of [
          [undefined, rows],
          [['ACTIVE'], rows.filter((r) => r.status === 'ACTIVE')],
        ] as const) {
          for (const limit of [1, 2, 4, 5, 7, 22, 23, 50]) {
            const seen: string[] = [];
            let after: ResourceRecord | undefined;
            for (let pages = 0; ; pages++) {
              assert.ok(pages <= 25, 'pagination does not terminate');
              const page = await catalog.list({
                ...q,
                statusIn: statusIn ? [...statusIn] : undefined,
                order,
                limit,
                after: after && { createdAt: after.createdAt, arn: after.arn },
              });
              assert.ok(page.length <= limit);
              seen.push(...page.map((r) => r.arn));
              if (page.length < limit) break;
              after = page[page.length - 1];
            }
            assert.deepEqual(seen, sorted([...expectedRows], order), `order=${order} limit=${limit} statusIn=${statusIn}`);
          }
        }
      }
    });

    it('tags: upsert keeps the position of an existing key, new keys go last, delete removes some', async () => {
      const acct = freshAccount();
      const r = record(acct, 'tagged');
      const other = record(acct, 'other');
      await catalog.insert(r);
      await catalog.insert(other);
      assert.deepEqual(await catalog.getTags(r.arn), []);
      await catalog.putTags(r.arn, [
        { key: 'zeta', value: '1' },
        { key: 'alpha', value: '2' },
        { key: 'mid', value: '3' },
      ]);
      await catalog.putTags(other.arn, [{ key: 'alpha', value: 'other' }]);
      assert.deepEqual(await catalog.getTags(r.arn), [
        { key: 'zeta', value: '1' },
        { key: 'alpha', value: '2' },
        { key: 'mid', value: '3' },
      ]);
      await catalog.putTags(r.arn, [
        { key: 'alpha', value: '20' },
        { key: 'new', value: '4' },
      ]);
      assert.deepEqual(await catalog.getTags(r.arn), [
        { key: 'zeta', value: '1' },
        { key: 'alpha', value: '20' },
        { key: 'mid', value: '3' },
        { key: 'new', value: '4' },
      ]);
      await catalog.deleteTags(r.arn, ['zeta', 'mid', 'absent']);
      assert.deepEqual(await catalog.getTags(r.arn), [
        { key: 'alpha', value: '20' },
        { key: 'new', value: '4' },
      ]);
      await catalog.putTags(r.arn, [{ key: 'zeta', value: 'back' }]);
      await catalog.putTags(r.arn, []);
      await catalog.deleteTags(r.arn, []);
      assert.deepEqual(await catalog.getTags(r.arn), [
        { key: 'alpha', value: '20' },
        { key: 'new', value: '4' },
        { key: 'zeta', value: 'back' },
      ]);
      assert.deepEqual(await catalog.getTags(other.arn), [{ key: 'alpha', value: 'other' }]);
      await assert.rejects(catalog.putTags(`${r.arn}-missing`, [{ key: 'k', value: 'v' }]), conflict('missing'));
    });

    it('putSettingIfAbsent keeps the first value', async () => {
      const key = `setting-${freshAccount()}`;
      assert.equal(await catalog.getSetting(key), undefined);
      assert.equal(await catalog.putSettingIfAbsent(key, 'first'), 'first');
      assert.equal(await catalog.putSettingIfAbsent(key, 'second'), 'first');
      assert.equal(await catalog.getSetting(key), 'first');
    });

    it('a transaction commits all its writes together and sees its own writes', async () => {
      const acct = freshAccount();
      const keep = await catalog.insert(record(acct, 'keep'));
      const gone = await catalog.insert(record(acct, 'gone'));
      const setting = `tx-${acct}`;
      const result = await catalog.transaction(async (tx) => {
        await tx.insert(record(acct, 'new1'));
        await tx.insert(record(acct, 'new2'));
        assert.equal(await tx.count({ account: acct, region: 'us-east-1', kind: 'schema' }), 4);
        await tx.update({ ...keep, status: 'UPDATED' }, 1);
        assert.equal((await tx.get(keep.arn))?.status, 'UPDATED');
        await tx.putTags(keep.arn, [{ key: 'k', value: 'v' }]);
        assert.equal(await tx.delete(gone.arn), true);
        await tx.putSettingIfAbsent(setting, 'yes');
        return 'done';
      });
      assert.equal(result, 'done');
      assert.deepEqual((await catalog.list({ account: acct, region: 'us-east-1', kind: 'schema' })).map((r) => r.name).sort(), [
        'keep',
        'new1',
        'new2',
      ]);
      assert.equal((await catalog.get(keep.arn))?.version, 2);
      assert.deepEqual(await catalog.getTags(keep.arn), [{ key: 'k', value: 'v' }]);
      assert.equal(await catalog.getSetting(setting), 'yes');
    });

    it('a throw inside a transaction rolls back every write and rethrows', async () => {
      const acct = freshAccount();
      const x = await catalog.insert(record(acct, 'x', { body: { v: 1 } }));
      const y = await catalog.insert(record(acct, 'y'));
      await catalog.putTags(x.arn, [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ]);
      await catalog.putTags(y.arn, [{ key: 'c', value: '3' }]);
      const setting = `rb-${acct}`;
      const boom = new Error('boom');
      await assert.rejects(
        catalog.transaction(async (tx) => {
          await tx.insert(record(acct, 'z'));
          await tx.update({ ...x, body: { v: 2 } }, 1);
          await tx.putTags(x.arn, [
            { key: 'a', value: 'changed' },
            { key: 'n', value: 'new' },
          ]);
          await tx.deleteTags(x.arn, ['b']);
          await tx.delete(y.arn);
          await tx.putSettingIfAbsent(setting, 'no');
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.equal(await catalog.get(record(acct, 'z').arn), undefined);
      assert.deepEqual(await catalog.get(x.arn), x);
      assert.deepEqual(await catalog.getTags(x.arn), [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ]);
      assert.deepEqual(await catalog.get(y.arn), y);
      assert.deepEqual(await catalog.getTags(y.arn), [{ key: 'c', value: '3' }]);
      assert.equal(await catalog.getSetting(setting), undefined);
    });

    it('a conflict caught inside a transaction does not spoil the transaction', async () => {
      const acct = freshAccount();
      const existing = await catalog.insert(record(acct, 'existing'));
      await catalog.transaction(async (tx) => {
        await assert.rejects(tx.insert(record(acct, 'existing')), conflict('exists'));
        await assert.rejects(tx.update(existing, 7), conflict('version'));
        await assert.rejects(tx.update({ ...existing, arn: `${existing.arn}-no` }), conflict('missing'));
        await assert.rejects(tx.putTags(`${existing.arn}-no`, [{ key: 'k', value: 'v' }]), conflict('missing'));
        await tx.insert(record(acct, 'after-conflicts'));
      });
      assert.ok(await catalog.get(record(acct, 'after-conflicts').arn));
    });

    it('a tx object cannot be used after its transaction settled', async () => {
      let leaked: Parameters<Parameters<Catalog['transaction']>[0]>[0] | undefined;
      await catalog.transaction(async (tx) => {
        leaked = tx;
      });
      await assert.rejects(async () => leaked!.get('arn:any'), /transaction already finished/);
    });

    it('lock serialises check-then-insert: 20 parallel transactions respect a quota of 5', async () => {
      const acct = freshAccount();
      const q = { account: acct, region: 'us-east-1', kind: 'filter' as ResourceKind };
      // Warm a connection pool first, so the 20 really overlap instead of trickling in one by one
      // as connections get established.
      await Promise.all(Array.from({ length: 20 }, () => catalog.transaction(() => delay(10))));
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          catalog.transaction(async (tx) => {
            await tx.lock('quota');
            const n = await tx.count(q);
            // Widen the race window: without the lock, others would count before this insert.
            await delay(10);
            if (n >= 5) return false;
            await tx.insert(record(acct, `f${i}`, { kind: 'filter' }));
            return true;
          }),
        ),
      );
      assert.equal(outcomes.filter(Boolean).length, 5);
      assert.equal(await catalog.count(q), 5);
    });

    it('parallel updates with the same expectedVersion: exactly one wins', async () => {
      const r = await catalog.insert(record(freshAccount(), 'race'));
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => catalog.update({ ...r, status: `S${i}` }, 1)));
      assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1);
      for (const x of results) if (x.status === 'rejected') conflict('version')(x.reason);
      assert.equal((await catalog.get(r.arn))?.version, 2);
    });

    it("data persists across close and reopen, and a second catalog sees the first one's writes", async () => {
      const acct = freshAccount();
      const r = record(acct, 'persist', { body: { keep: ['me'] } });
      const first = await open();
      await first.insert(r);
      await first.putTags(r.arn, [{ key: 'k', value: 'v' }]);
      await first.putSettingIfAbsent(`persist-${acct}`, 'kept');
      await first.close();

      const second = await open();
      try {
        assert.deepEqual(await second.get(r.arn), { ...r, version: 1 });
        assert.deepEqual(await second.getTags(r.arn), [{ key: 'k', value: 'v' }]);
        assert.equal(await second.getSetting(`persist-${acct}`), 'kept');
        // Visible to the long-lived catalog too (same file / same database).
        assert.deepEqual(await catalog.get(r.arn), { ...r, version: 1 });
      } finally {
        await second.close();
      }
    });

    it('listAllOfKind pages through one kind across accounts and regions, in ARN order', async () => {
      const a = freshAccount();
      const b = freshAccount();
      const mine = [
        await catalog.insert(record(a, 'ds-1', { kind: 'metric-attribution' })),
        await catalog.insert(record(b, 'ds-2', { kind: 'metric-attribution', region: 'eu-west-1' })),
        await catalog.insert(record(a, 'ds-3', { kind: 'metric-attribution', region: 'ap-south-1' })),
      ].map((r) => r.arn);
      await catalog.insert(record(a, 'not-this-kind', { kind: 'filter' }));
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await catalog.listAllOfKind('metric-attribution', after, 2);
        assert.ok(page.length <= 2);
        assert.ok(page.every((r) => r.kind === 'metric-attribution'));
        seen.push(...page.map((r) => r.arn));
        if (page.length < 2) break;
        after = page[page.length - 1].arn;
      }
      assert.deepEqual(seen, [...seen].sort(), 'ARN order');
      for (const arn of mine) assert.equal(seen.filter((x) => x === arn).length, 1, `${arn} exactly once`);
    });

    it('reopening, also several times at once, applies no migration twice and keeps the data', async () => {
      const r = await catalog.insert(record(freshAccount(), 'migrated'));
      const reopened = await Promise.all([open(), open(), open()]);
      try {
        for (const c of reopened) assert.deepEqual(await c.get(r.arn), r);
      } finally {
        await Promise.all(reopened.map((c) => c.close()));
      }
    });
  });
}
