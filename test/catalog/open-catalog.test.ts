import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { sqlAccessOf } from '../../src/catalog/sql/sql-catalog.ts';
import { openCatalog } from '../../src/catalog/open-catalog.ts';
import { parseDatabaseUrl } from '../../src/config/database-url.ts';

const dir = mkdtempSync(join(tmpdir(), 'op-open-catalog-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('parseDatabaseUrl', () => {
  it('maps each accepted form to its backend and location', () => {
    assert.deepEqual(parseDatabaseUrl(undefined, '/data'), { kind: 'sqlite', path: resolve('/data/catalog.sqlite') });
    assert.deepEqual(parseDatabaseUrl('sqlite:/var/op/c.db', '/data'), { kind: 'sqlite', path: '/var/op/c.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:rel/c.db', '/data'), { kind: 'sqlite', path: resolve('rel/c.db') });
    assert.deepEqual(parseDatabaseUrl('sqlite::memory:', '/data'), { kind: 'sqlite', path: ':memory:' });
    assert.deepEqual(parseDatabaseUrl('file::memory:', '/data'), { kind: 'sqlite', path: ':memory:' });
    assert.deepEqual(parseDatabaseUrl('file:/var/op/c.db', '/data'), { kind: 'sqlite', path: '/var/op/c.db' });
    assert.deepEqual(parseDatabaseUrl('file:///var/op/my%20c.db', '/data'), { kind: 'sqlite', path: '/var/op/my c.db' });
    assert.deepEqual(parseDatabaseUrl('postgres://u:p@h:5432/db', '/data'), { kind: 'postgres', url: 'postgres://u:p@h:5432/db' });
    assert.deepEqual(parseDatabaseUrl('postgresql://h/db?sslmode=require', '/data'), {
      kind: 'postgres',
      url: 'postgresql://h/db?sslmode=require',
    });
  });

  it('rejects anything else with one line naming the accepted forms, without echoing credentials', () => {
    for (const url of [
      'mysql://root:s3cret@db/x',
      'redis://h',
      '',
      '   ',
      'catalog.sqlite',
      'sqlite:',
      'file:',
      'postgres:/h/db',
      'file://remote-host/x.db',
    ]) {
      assert.throws(
        () => parseDatabaseUrl(url, '/data'),
        (err: Error) => {
          assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
          assert.match(err.message, /sqlite:<path>.*sqlite::memory:.*file:<path>.*postgres:\/\/.*postgresql:\/\//);
          assert.ok(!err.message.includes('s3cret'), err.message);
          return true;
        },
        `should reject ${JSON.stringify(url)}`,
      );
    }
  });
});

describe('openCatalog', () => {
  it('opens <dataDir>/catalog.sqlite by default, creating the directories', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const catalog = await openCatalog(undefined, dataDir);
    try {
      assert.equal(sqlAccessOf(catalog).dialect.name, 'sqlite');
      assert.ok(existsSync(join(dataDir, 'catalog.sqlite')));
    } finally {
      await catalog.close();
    }
  });

  it('opens sqlite: and file: paths and file:// URLs, creating the directories', async () => {
    const paths = [join(dir, 'a', 'one.sqlite'), join(dir, 'b', 'two.sqlite'), join(dir, 'c d', 'three.sqlite')];
    const urls = [`sqlite:${paths[0]}`, `file:${paths[1]}`, pathToFileURL(paths[2]).href];
    for (const [i, url] of urls.entries()) {
      const catalog = await openCatalog(url, join(dir, 'unused'));
      await catalog.putSettingIfAbsent('k', url);
      await catalog.close();
      assert.ok(existsSync(paths[i]), url);
      const again = await openCatalog(url, join(dir, 'unused'));
      assert.equal(await again.getSetting('k'), url, 'reopening the same URL finds the same data');
      await again.close();
    }
    assert.ok(!existsSync(join(dir, 'unused')));
  });

  it('opens an in-memory catalog for sqlite::memory: and writes no file', async () => {
    const dataDir = join(dir, 'memory-data');
    const catalog = await openCatalog('sqlite::memory:', dataDir);
    try {
      assert.equal(sqlAccessOf(catalog).dialect.name, 'sqlite');
      assert.equal(await catalog.putSettingIfAbsent('k', 'v'), 'v');
      assert.ok(!existsSync(dataDir));
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.includes('memory')),
        [],
      );
    } finally {
      await catalog.close();
    }
  });

  it('routes postgres:// URLs to PostgreSQL and reports a failed connection without the password', async () => {
    await assert.rejects(openCatalog('postgresql://op:hunter2@127.0.0.1:1/op', dir), (err: Error) => {
      assert.match(err.message, /^cannot open PostgreSQL catalog at postgresql:\/\/op:\*\*\*@127\.0\.0\.1:1\/op: /);
      assert.ok(!err.message.includes('hunter2'));
      return true;
    });
  });

  it('rejects an unsupported URL before touching anything', async () => {
    await assert.rejects(openCatalog('mongodb://h/db', join(dir, 'never')), /unsupported catalog database URL scheme "mongodb:"/);
    assert.ok(!existsSync(join(dir, 'never')));
  });
});
