// The one contract both object stores are held to. `make` gives a store, a way to put objects in
// place without going through the store under test (`seed`), and a cleanup. Every test works in
// buckets of its own, so tests never see each other's objects.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ObjectStoreError, type ObjectInfo, type ObjectStore } from '../../src/object-store/object-store.ts';

export interface ObjectStoreFixture {
  /** A store that creates missing buckets on write (the service's own storage). */
  store: ObjectStore;
  /** The same backing store, opened with createBuckets: false (the callers' s3:// locations). */
  strictStore: ObjectStore;
  seed(bucket: string, key: string, body: Buffer | string): Promise<void>;
  cleanup(): Promise<void>;
}

const run = randomBytes(3).toString('hex');
let buckets = 0;
/** A valid S3 bucket name unique to this run and test; never created unless a test creates it. */
export function freshBucket(): string {
  return `op-conf-${run}-${++buckets}`;
}

export function reason(expected: ObjectStoreError['reason'], mentions: string[] = []): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof ObjectStoreError, `expected ObjectStoreError, got ${String(e)}`);
    assert.equal(e.reason, expected, e.message);
    for (const m of mentions) assert.ok(e.message.includes(m), `"${e.message}" should mention "${m}"`);
    return true;
  };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** Every byte value, then pseudo-random bytes: a body no text conversion survives. */
function binaryBody(size: number): Buffer {
  const b = randomBytes(size);
  for (let i = 0; i < 256 && i < size; i++) b[i] = i;
  return b;
}

// Sizes differ per key, so a size attached to the wrong key shows. Names cover S3's ordering:
// byte order ('B' < 'a', '-' < '/', U+FF5E < U+1F600, unlike JS string order), a folder whose
// name matches a partial prefix, and folders next to files of the same stem.
const TREE: Record<string, number> = {
  'top.csv': 3,
  'data-sibling.csv': 5,
  'data/a.csv': 7,
  'data/B.csv': 11,
  'data/part-1.csv': 13,
  'data/part-10.csv': 17,
  'data/part-2.csv': 19,
  'data/part-dir/e.csv': 23,
  'data/sub-x.csv': 29,
  'data/sub/c.csv': 31,
  'data/sub/deeper/d.csv': 37,
  'data/～.csv': 41,
  'data/😀.csv': 43,
  'other/x.csv': 47,
};

/** What S3 answers, computed without any store: prefix match, delimiter '/', UTF-8 byte order. */
function expected(prefix: string, recursive: boolean): ObjectInfo[] {
  return Object.entries(TREE)
    .filter(([k]) => k.startsWith(prefix) && (recursive || !k.slice(prefix.length).includes('/')))
    .map(([key, size]) => ({ key, size }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

export function runObjectStoreConformance(name: string, make: () => Promise<ObjectStoreFixture>): void {
  describe(`object store conformance: ${name}`, () => {
    let f: ObjectStoreFixture;
    let store: ObjectStore;
    let tmp: string;
    let treeBucket: string;
    before(async () => {
      f = await make();
      store = f.store;
      tmp = mkdtempSync(join(tmpdir(), 'op-object-store-'));
      treeBucket = freshBucket();
      for (const [key, size] of Object.entries(TREE)) await f.seed(treeBucket, key, 'x'.repeat(size));
    });
    after(async () => {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      await f?.cleanup();
    });
    const localFile = (body: Buffer | string): string => {
      const path = join(tmp, randomBytes(6).toString('hex'));
      writeFileSync(path, body);
      return path;
    };

    it('head gives the size of an object, undefined for a missing one, no-bucket for a missing bucket', async () => {
      assert.deepEqual(await store.head(treeBucket, 'data/part-10.csv'), { key: 'data/part-10.csv', size: 17 });
      assert.equal(await store.head(treeBucket, 'data/missing.csv'), undefined);
      assert.equal(await store.head(treeBucket, 'data'), undefined, 'a folder is not an object');
      const missing = freshBucket();
      await assert.rejects(store.head(missing, 'x.csv'), reason('no-bucket', [missing]));
    });

    it('list with recursive: false gives only the first level below a folder prefix', async () => {
      const got = await store.list(treeBucket, 'data/', { recursive: false });
      assert.deepEqual(
        got.map((o) => o.key),
        [
          'data/B.csv',
          'data/a.csv',
          'data/part-1.csv',
          'data/part-10.csv',
          'data/part-2.csv',
          'data/sub-x.csv',
          'data/～.csv',
          'data/😀.csv',
        ],
      );
      assert.deepEqual(got, expected('data/', false));
    });

    it('list with recursive: true gives every object below the prefix, sorted by key, with sizes', async () => {
      const got = await store.list(treeBucket, 'data/', { recursive: true });
      assert.deepEqual(got, expected('data/', true));
      assert.deepEqual(
        got.slice(6, 10).map((o) => o.key),
        ['data/sub-x.csv', 'data/sub/c.csv', 'data/sub/deeper/d.csv', 'data/～.csv'],
      );
      assert.deepEqual(await store.list(treeBucket, '', { recursive: true }), expected('', true));
    });

    it('list takes a prefix without a trailing slash as a partial name', async () => {
      assert.deepEqual(await store.list(treeBucket, 'data/part-', { recursive: false }), expected('data/part-', false));
      assert.deepEqual(
        (await store.list(treeBucket, 'data/part-', { recursive: false })).map((o) => o.key),
        ['data/part-1.csv', 'data/part-10.csv', 'data/part-2.csv'],
      );
      assert.deepEqual(await store.list(treeBucket, 'data/part-', { recursive: true }), expected('data/part-', true));
      assert.deepEqual(await store.list(treeBucket, 'data', { recursive: false }), [{ key: 'data-sibling.csv', size: 5 }]);
      assert.deepEqual(await store.list(treeBucket, 'data', { recursive: true }), expected('data', true));
      assert.deepEqual(await store.list(treeBucket, '', { recursive: false }), [
        { key: 'data-sibling.csv', size: 5 },
        { key: 'top.csv', size: 3 },
      ]);
      assert.deepEqual(await store.list(treeBucket, 'data/part-1.csv', { recursive: false }), [{ key: 'data/part-1.csv', size: 13 }]);
    });

    it('list gives nothing for a prefix without objects, and no-bucket for a missing bucket', async () => {
      assert.deepEqual(await store.list(treeBucket, 'nothing/', { recursive: false }), []);
      assert.deepEqual(await store.list(treeBucket, 'nothing/', { recursive: true }), []);
      assert.deepEqual(await store.list(treeBucket, 'top.csv/', { recursive: true }), []);
      const missing = freshBucket();
      await assert.rejects(store.list(missing, 'data/', { recursive: false }), reason('no-bucket', [missing]));
      await assert.rejects(store.list(missing, '', { recursive: true }), reason('no-bucket', [missing]));
    });

    it('read streams a whole object and inclusive byte ranges', async () => {
      const bucket = freshBucket();
      const body = binaryBody(300_000);
      await f.seed(bucket, 'blob.bin', body);
      assert.ok((await readAll(await store.read(bucket, 'blob.bin'))).equals(body));
      assert.ok((await readAll(await store.read(bucket, 'blob.bin', { start: 0, end: 9 }))).equals(body.subarray(0, 10)));
      assert.ok((await readAll(await store.read(bucket, 'blob.bin', { start: 1000, end: 1000 }))).equals(body.subarray(1000, 1001)));
      assert.ok(
        (await readAll(await store.read(bucket, 'blob.bin', { start: 299_990, end: 400_000 }))).equals(body.subarray(299_990)),
        'an end past the object is cut at its end',
      );
      assert.equal(
        (await readAll(await store.read(bucket, 'blob.bin', { start: 300_000, end: 300_100 }))).length,
        0,
        'a range past the end is empty',
      );
    });

    it('read of a missing object is no-object, and of a missing bucket no-bucket', async () => {
      await assert.rejects(store.read(treeBucket, 'data/missing.csv'), reason('no-object', [treeBucket, 'data/missing.csv']));
      await assert.rejects(store.read(treeBucket, 'data/missing.csv', { start: 0, end: 9 }), reason('no-object'));
      const missing = freshBucket();
      await assert.rejects(store.read(missing, 'x.csv'), reason('no-bucket', [missing]));
    });

    it('putFile round-trips binary bodies under unicode keys, keys with spaces and URL-special characters', async () => {
      const bucket = freshBucket();
      await f.seed(bucket, 'existing.txt', 'x');
      const keys = [
        'bin/all bytes.bin',
        'données/été ü 日本 😀.csv',
        'odd/a+b=c&d%20e?f#g;h,i:j.csv',
        'odd/~tilde and (parens) [brackets].csv',
      ];
      const bodies = keys.map((_, i) => binaryBody(1000 + i * 7919));
      for (const [i, key] of keys.entries()) await store.putFile(bucket, key, localFile(bodies[i]));
      for (const [i, key] of keys.entries()) {
        assert.deepEqual(await store.head(bucket, key), { key, size: bodies[i].length });
        assert.ok((await readAll(await store.read(bucket, key))).equals(bodies[i]), key);
      }
      const listed = await store.list(bucket, '', { recursive: true });
      assert.deepEqual(
        listed.map((o) => o.key),
        [...keys, 'existing.txt'].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
      );
    });

    it('putBytes round-trips Buffers and strings (as UTF-8), including empty objects', async () => {
      const bucket = freshBucket();
      const bin = binaryBody(5000);
      await store.putBytes(bucket, 'b/bytes.bin', bin);
      await store.putBytes(bucket, 'b/text é 日本.txt', 'héllo wörld 😀\n');
      await store.putBytes(bucket, 'b/empty', '');
      await store.putFile(bucket, 'b/empty-file', localFile(''));
      assert.ok((await readAll(await store.read(bucket, 'b/bytes.bin'))).equals(bin));
      assert.equal((await readAll(await store.read(bucket, 'b/text é 日本.txt'))).toString('utf8'), 'héllo wörld 😀\n');
      assert.deepEqual(await store.head(bucket, 'b/text é 日本.txt'), {
        key: 'b/text é 日本.txt',
        size: Buffer.byteLength('héllo wörld 😀\n'),
      });
      for (const key of ['b/empty', 'b/empty-file']) {
        assert.deepEqual(await store.head(bucket, key), { key, size: 0 });
        assert.equal((await readAll(await store.read(bucket, key))).length, 0);
      }
    });

    it('a put overwrites: the new body replaces the old one entirely', async () => {
      const bucket = freshBucket();
      await f.seed(bucket, 'o/file.csv', 'a much longer original body\n'.repeat(100));
      await store.putFile(bucket, 'o/file.csv', localFile('short'));
      assert.equal((await readAll(await store.read(bucket, 'o/file.csv'))).toString(), 'short');
      assert.deepEqual(await store.head(bucket, 'o/file.csv'), { key: 'o/file.csv', size: 5 });
      await store.putBytes(bucket, 'o/file.csv', 'new');
      assert.equal((await readAll(await store.read(bucket, 'o/file.csv'))).toString(), 'new');
      assert.deepEqual(await store.list(bucket, 'o/', { recursive: true }), [{ key: 'o/file.csv', size: 3 }]);
    });

    it('a put creates a missing bucket', async () => {
      const [a, b] = [freshBucket(), freshBucket()];
      await assert.rejects(store.list(a, '', { recursive: true }), reason('no-bucket'));
      await store.putFile(a, 'deep/folder/x.csv', localFile('file body'));
      await store.putBytes(b, 'y.csv', 'bytes body');
      assert.deepEqual(await store.list(a, '', { recursive: true }), [{ key: 'deep/folder/x.csv', size: 9 }]);
      assert.deepEqual(await store.list(b, '', { recursive: false }), [{ key: 'y.csv', size: 10 }]);
      assert.equal((await readAll(await store.read(b, 'y.csv'))).toString(), 'bytes body');
    });

    it('with createBuckets false, a put to a missing bucket is no-bucket and creates nothing', async () => {
      const a = freshBucket();
      await assert.rejects(f.strictStore.putFile(a, 'x.csv', localFile('file body')), reason('no-bucket', [a]));
      await assert.rejects(f.strictStore.putBytes(a, 'y.csv', 'bytes body'), reason('no-bucket', [a]));
      await assert.rejects(store.list(a, '', { recursive: true }), reason('no-bucket'));
      // An existing bucket takes writes as usual.
      await f.strictStore.putBytes(treeBucket, 'strict/y.csv', 'bytes body');
      assert.equal((await readAll(await store.read(treeBucket, 'strict/y.csv'))).toString(), 'bytes body');
      await store.delete(treeBucket, ['strict/y.csv']);
    });

    it('delete removes the named objects, ignores missing ones, and leaves the rest', async () => {
      const bucket = freshBucket();
      for (const key of ['d/1.csv', 'd/2.csv', 'd/3.csv', 'd/sub/4.csv', 'keep.csv']) await f.seed(bucket, key, key);
      await store.delete(bucket, ['d/1.csv', 'd/missing.csv', 'd/sub/4.csv', 'never/was.csv', 'd/3.csv']);
      assert.deepEqual(
        (await store.list(bucket, '', { recursive: true })).map((o) => o.key),
        ['d/2.csv', 'keep.csv'],
      );
      assert.equal(await store.head(bucket, 'd/1.csv'), undefined);
      await store.delete(bucket, []);
      await store.delete(bucket, ['d/1.csv']); // twice is fine
      assert.deepEqual(
        (await store.list(bucket, '', { recursive: true })).map((o) => o.key),
        ['d/2.csv', 'keep.csv'],
      );
      const missing = freshBucket();
      await assert.rejects(store.delete(missing, ['x.csv']), reason('no-bucket', [missing]));
    });

    it('localPath, where a store offers it, is the file holding the object', async () => {
      if (!store.localPath) {
        assert.notEqual(store.kind, 'local', 'a store keeping objects as files offers localPath');
        return;
      }
      assert.equal(readFileSync(store.localPath(treeBucket, 'data/part-2.csv'), 'utf8'), 'x'.repeat(19));
    });
  });
}
