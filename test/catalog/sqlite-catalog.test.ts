import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { LATEST_VERSION, MIGRATIONS } from '../../src/catalog/sql/migrations.ts';
import { SqliteCatalog } from '../../src/catalog/sqlite/sqlite-catalog.ts';
import { runCatalogConformance } from './catalog-conformance.ts';
import { runQueueConformance } from './queue-conformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'op-sqlite-catalog-'));
const file = join(dir, 'catalog.sqlite');
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite catalog specifics', () => {
  it('reports its capabilities and opens with WAL, synchronous=FULL, busy_timeout and foreign keys', async () => {
    const catalog = await SqliteCatalog.open(join(dir, 'pragmas.sqlite'));
    try {
      assert.deepEqual(catalog.capabilities, { multiProcess: false });
      assert.equal(catalog.dialect.name, 'sqlite');
      assert.deepEqual(catalog.diagnostics(), { journalMode: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 5000 });
    } finally {
      await catalog.close();
    }
  });

  it('records each migration exactly once across reopenings', async () => {
    const path = join(dir, 'migrations.sqlite');
    for (let i = 0; i < 3; i++) await (await SqliteCatalog.open(path)).close();
    const db = new Database(path, { readonly: true });
    try {
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
      assert.deepEqual(
        versions.map((v) => v.version),
        MIGRATIONS.map((m) => m.version),
      );
      assert.equal(versions.at(-1)?.version, LATEST_VERSION);
    } finally {
      db.close();
    }
  });

  it('refuses a catalog migrated by a newer version', async () => {
    const path = join(dir, 'future.sqlite');
    await (await SqliteCatalog.open(path)).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, 'future', 0)").run(LATEST_VERSION + 1);
    db.close();
    await assert.rejects(SqliteCatalog.open(path), /newer than this openpersonalize supports/);
  });

  it('makes operations outside a transaction wait until it commits', async () => {
    const catalog = await SqliteCatalog.open(':memory:');
    try {
      const r = {
        arn: 'arn:wait',
        account: '1',
        region: 'r',
        kind: 'schema' as const,
        name: 'wait',
        parentArn: null,
        status: null,
        createdAt: 1,
        updatedAt: 1,
        body: {},
      };
      const events: string[] = [];
      const tx = catalog.transaction(async (t) => {
        await delay(20);
        await t.insert(r);
        events.push('inserted');
        await delay(20);
        events.push('committing');
      });
      await delay(5);
      const outside = catalog.get(r.arn).then((got) => {
        events.push('outside read');
        return got;
      });
      await tx;
      assert.deepEqual(await outside, { ...r, version: 1 }, 'the outside read ran after the commit');
      assert.deepEqual(events, ['inserted', 'committing', 'outside read']);
    } finally {
      await catalog.close();
    }
  });

  it("serialises two catalogs on one file instead of blocking in SQLite's busy wait", async () => {
    const path = join(dir, 'shared.sqlite');
    const [a, b] = [await SqliteCatalog.open(path), await SqliteCatalog.open(path)];
    try {
      const rec = (name: string) => ({
        arn: `arn:${name}`,
        account: '1',
        region: 'r',
        kind: 'schema' as const,
        name,
        parentArn: null,
        status: null,
        createdAt: 1,
        updatedAt: 1,
        body: {},
      });
      const slow = a.transaction(async (t) => {
        await t.insert(rec('a'));
        await delay(50); // holds the write lock across an await
        await t.insert(rec('a2'));
      });
      await delay(5);
      await b.insert(rec('b'));
      await slow;
      assert.equal(await b.count({ account: '1', region: 'r', kind: 'schema' }), 3);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('fails loudly instead of deadlocking when the Catalog is used inside its own transaction', async () => {
    const catalog = await SqliteCatalog.open(':memory:');
    try {
      await assert.rejects(
        catalog.transaction(async () => {
          await catalog.get('arn:x');
        }),
        /use.*tx argument|on the tx argument/,
      );
      await assert.rejects(
        catalog.transaction(() => catalog.transaction(async () => 1)),
        /own transaction/,
      );
      // lock() is a no-op on SQLite, inside and outside a transaction.
      await catalog.lock('k');
      assert.equal(await catalog.transaction(async (t) => (await t.lock('k'), 'ok')), 'ok');
    } finally {
      await catalog.close();
    }
  });
});

runCatalogConformance('sqlite', () => SqliteCatalog.open(file));
runQueueConformance('sqlite', () => SqliteCatalog.open(file));
