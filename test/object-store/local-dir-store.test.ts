import { ObjectStoreError } from '../../src/object-store/object-store.ts';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalDirStore, TEMP_PREFIX } from '../../src/object-store/local-dir-store.ts';
import { openObjectStore } from '../../src/object-store/open-object-store.ts';
import { readAll, reason, runObjectStoreConformance } from './object-store-conformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'op-local-dir-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let roots = 0;
function freshRoot(): string {
  return join(dir, `root-${++roots}`);
}

/** Every entry below root, folders with a trailing '/'. */
function tree(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? [`${rel}${e.name}/`, ...tree(root, `${rel}${e.name}/`)] : [`${rel}${e.name}`]))
    .sort();
}

runObjectStoreConformance('local-dir', async () => {
  const root = freshRoot();
  return {
    store: new LocalDirStore(root),
    strictStore: new LocalDirStore(root, { createBuckets: false }),
    async seed(bucket, key, body) {
      const path = join(root, bucket, key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body);
    },
    async cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
});

describe('local-dir object store specifics', () => {
  it('refuses keys and buckets that would leave the bucket folder, and writes nothing', async () => {
    const root = join(freshRoot(), 'inner');
    const store = new LocalDirStore(root);
    await store.putBytes('bkt', 'ok.csv', 'ok');
    const badKeys = ['../escape', 'a/../../escape', '..', '.', './x', '/etc/passwd', 'a\0b', 'a//b', 'a/', '', `x/${TEMP_PREFIX}1`];
    for (const key of badKeys) {
      const shown = JSON.stringify(key);
      await assert.rejects(store.putBytes('bkt', key, 'evil'), reason('access-denied', ['bkt']), `putBytes ${shown}`);
      await assert.rejects(store.putFile('bkt', key, join(root, 'bkt', 'ok.csv')), reason('access-denied'), `putFile ${shown}`);
      await assert.rejects(store.head('bkt', key), reason('access-denied'), `head ${shown}`);
      await assert.rejects(store.read('bkt', key), reason('access-denied'), `read ${shown}`);
      await assert.rejects(store.delete('bkt', ['ok.csv', key]), reason('access-denied'), `delete ${shown}`);
      assert.throws(() => store.localPath('bkt', key), reason('access-denied'), `localPath ${shown}`);
    }
    await assert.rejects(store.putBytes('bkt', '../escape', 'x'), /refuses key "\.\.\/escape" in bucket "bkt": it contains a '\.\.' part/);
    for (const prefix of ['../', 'a/../../', '/etc/']) {
      await assert.rejects(store.list('bkt', prefix, { recursive: true }), reason('access-denied', [prefix]), `list ${prefix}`);
    }
    for (const bucket of ['..', '.', 'a/b', '', 'a\0b']) {
      await assert.rejects(store.putBytes(bucket, 'x.csv', 'evil'), reason('no-bucket'), `bucket ${JSON.stringify(bucket)}`);
      await assert.rejects(store.list(bucket, '', { recursive: true }), reason('no-bucket'));
    }
    assert.deepEqual(tree(dirname(root)), ['inner/', 'inner/bkt/', 'inner/bkt/ok.csv'], 'nothing was written, nothing deleted');
    // Names that merely contain dots are ordinary keys.
    await store.putBytes('bkt', '..hidden/a..b/.x', 'fine');
    assert.deepEqual(
      (await store.list('bkt', '', { recursive: true })).map((o) => o.key),
      ['..hidden/a..b/.x', 'ok.csv'],
    );
  });

  it('puts leave no temp files behind, whether they succeed or fail', async () => {
    const root = freshRoot();
    const store = new LocalDirStore(root);
    const src = join(dir, 'src.bin');
    writeFileSync(src, Buffer.alloc(100_000, 1));
    await store.putFile('b', 'f/x.bin', src);
    await store.putFile('b', 'f/x.bin', src); // overwrite
    await store.putBytes('b', 'f/y.txt', 'y');
    await store.putBytes('b', 'f/y.txt', 'yy');
    await assert.rejects(store.putFile('b', 'f/z.bin', join(dir, 'no-such-file')), /cannot upload .*no-such-file/);
    await assert.rejects(store.putBytes('b', 'f/x.bin/under-a-file', 'x'), reason('access-denied', ['both an object and a folder']));
    await assert.rejects(store.putBytes('b', 'f', 'x'), reason('access-denied', ['both an object and a folder']));
    assert.deepEqual(tree(root), ['b/', 'b/f/', 'b/f/x.bin', 'b/f/y.txt']);
    assert.equal((await readAll(await store.read('b', 'f/y.txt'))).toString(), 'yy');
  });

  it('readers see the old or the new object, never a mix, while it is overwritten', async () => {
    const store = new LocalDirStore(freshRoot());
    const [a, b] = [Buffer.alloc(2_000_000, 'a'), Buffer.alloc(1_000_000, 'b')];
    await store.putBytes('b', 'obj', a);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 30; i++) await store.putBytes('b', 'obj', i % 2 ? a : b);
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const got = await readAll(await store.read('b', 'obj'));
      assert.ok(got.equals(a) || got.equals(b), `a read saw ${got.length} bytes of a mix`);
      reads++;
    }
    await writer;
    assert.ok(reads > 0);
  });

  it('does not list writes in progress, and folders are not objects', async () => {
    const root = freshRoot();
    const store = new LocalDirStore(root);
    await store.putBytes('b', 'f/done.csv', 'x');
    writeFileSync(join(root, 'b', 'f', `${TEMP_PREFIX}0123`), 'half a wri');
    mkdirSync(join(root, 'b', 'f', 'empty-folder'));
    assert.deepEqual(await store.list('b', 'f/', { recursive: true }), [{ key: 'f/done.csv', size: 1 }]);
    assert.deepEqual(await store.list('b', 'f/', { recursive: false }), [{ key: 'f/done.csv', size: 1 }]);
    assert.equal(await store.head('b', 'f/empty-folder'), undefined);
    await assert.rejects(store.read('b', 'f/empty-folder'), reason('no-object'));
    await store.delete('b', ['f/empty-folder', 'f']); // folders are not objects: nothing to delete
    assert.ok(existsSync(join(root, 'b', 'f', 'empty-folder')));
  });

  it('a file where a bucket folder should be is no bucket', async () => {
    const root = freshRoot();
    mkdirSync(root);
    writeFileSync(join(root, 'notabucket'), 'x');
    const store = new LocalDirStore(root);
    await assert.rejects(store.head('notabucket', 'x'), reason('no-bucket', ['notabucket']));
    await assert.rejects(store.list('notabucket', '', { recursive: false }), reason('no-bucket'));
  });

  it('openObjectStore("local") keeps buckets under <dataDir>/buckets, creating one only when told to', async () => {
    const dataDir = freshRoot();
    const store = openObjectStore('local', dataDir, {});
    assert.equal(store.kind, 'local');
    await assert.rejects(store.putBytes('bkt', 'k/v.txt', 'v'), (e: unknown) => e instanceof ObjectStoreError && e.reason === 'no-bucket');
    await openObjectStore('local', dataDir, {}, { createBuckets: true }).putBytes('bkt', 'k/v.txt', 'v');
    assert.deepEqual(tree(join(dataDir, 'buckets')), ['bkt/', 'bkt/k/', 'bkt/k/v.txt']);
    assert.equal(store.localPath?.('bkt', 'k/v.txt'), join(dataDir, 'buckets', 'bkt', 'k', 'v.txt'));
  });
});
