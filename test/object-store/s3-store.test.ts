// The S3 store against a real S3 peer (moto_server, started per file). moto missing is a failure.
import { ObjectStoreError } from '../../src/object-store/object-store.ts';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { openObjectStore } from '../../src/object-store/open-object-store.ts';
import { S3Store } from '../../src/object-store/s3-store.ts';
import { startMotoServer } from '../testkit/moto-server.ts';
import { freshBucket, readAll, reason, runObjectStoreConformance } from './object-store-conformance.ts';

const MiB = 1024 * 1024;
const moto = await startMotoServer(); // top-level await: no moto, and this file fails right here
after(() => moto.stop());
const dir = mkdtempSync(join(tmpdir(), 'op-s3-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function makeClient(endpoint = moto.endpoint, maxAttempts?: number): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
    maxAttempts,
  });
}
const raw = makeClient(); // the test's own view of moto, independent of the store
after(() => raw.destroy());

async function seed(bucket: string, key: string, body: Buffer | string): Promise<void> {
  await raw.send(new CreateBucketCommand({ Bucket: bucket })).catch((e: Error) => {
    if (e.name !== 'BucketAlreadyOwnedByYou') throw e;
  });
  await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body) }));
}

interface Call {
  command: string;
  input: Record<string, unknown>;
}
/** Records each command a client sends, before the SDK serializes it; `hook` may change or fail it. */
function record(client: S3Client, hook?: (call: Call) => void): Call[] {
  const calls: Call[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const call = { command: context.commandName ?? '', input: args.input as Record<string, unknown> };
      calls.push(call);
      hook?.(call);
      return next(args);
    },
    { step: 'initialize', name: 'testRecorder' },
  );
  return calls;
}

// Buffers freed but not yet collected would hide whether the upload streamed, so the sampler
// collects garbage before each reading. --expose-gc turned on at run time: no runner flag needed.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** How far Buffer memory rose above its level at the start while fn ran, in bytes. */
async function peakBufferGrowth(fn: () => Promise<void>): Promise<number> {
  gc();
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const sampler = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 5);
  try {
    await fn();
  } finally {
    clearInterval(sampler);
  }
  return peak - base;
}

async function sha256(stream: Readable): Promise<{ digest: string; chunks: number; largest: number }> {
  const hash = createHash('sha256');
  let chunks = 0;
  let largest = 0;
  for await (const c of stream) {
    hash.update(c);
    chunks++;
    largest = Math.max(largest, c.length);
  }
  return { digest: hash.digest('hex'), chunks, largest };
}

runObjectStoreConformance('s3 (moto)', async () => {
  const client = makeClient();
  return {
    store: new S3Store({ client }),
    strictStore: new S3Store({ client, createBuckets: false }),
    seed,
    cleanup: async () => client.destroy(),
  };
});

describe('S3 object store specifics', () => {
  let big: string;
  let bigDigest: string;
  before(async () => {
    big = join(dir, 'big.bin');
    writeFileSync(big, randomBytes(20 * MiB));
    bigDigest = (await sha256(createReadStream(big))).digest;
  });

  it('uploads a 20 MB file as a stream of the file, and reads it back as a stream', async () => {
    const client = makeClient();
    const calls = record(client);
    const store = new S3Store({ client });
    const bucket = freshBucket();
    const growth = await peakBufferGrowth(() => store.putFile(bucket, 'big/20mb.bin', big));
    assert.ok(growth < 10 * MiB, `buffer memory grew by ${(growth / MiB).toFixed(1)} MiB while uploading 20 MiB`);
    const puts = calls.filter((c) => c.command === 'PutObjectCommand');
    assert.equal(puts.length, 1);
    const body = puts[0].input.Body;
    // What the SDK was handed is the file's read stream with its length, not the file's bytes.
    assert.ok(body instanceof Readable && !(body instanceof Uint8Array), `body is ${Object.prototype.toString.call(body)}`);
    assert.equal((body as Readable & { path?: string }).path, big);
    assert.equal(puts[0].input.ContentLength, 20 * MiB);
    assert.deepEqual(await store.head(bucket, 'big/20mb.bin'), { key: 'big/20mb.bin', size: 20 * MiB });
    const back = await sha256(await store.read(bucket, 'big/20mb.bin'));
    assert.equal(back.digest, bigDigest);
    assert.ok(back.chunks > 10 && back.largest < 4 * MiB, `read arrived in ${back.chunks} chunks, the largest ${back.largest} bytes`);
    client.destroy();
  });

  it('uploads files above the multipart threshold in parts, each a stream of its range', async () => {
    const client = makeClient();
    const calls = record(client);
    const store = new S3Store({ client, multipartThreshold: 8 * MiB, partSize: 5 * MiB });
    const bucket = freshBucket();
    await store.putFile(bucket, 'mp/20mb.bin', big);
    const parts = calls
      .filter((c) => c.command === 'UploadPartCommand')
      .sort((a, b) => Number(a.input.PartNumber) - Number(b.input.PartNumber));
    assert.deepEqual(
      parts.map((p) => [p.input.PartNumber, p.input.ContentLength]),
      [
        [1, 5 * MiB],
        [2, 5 * MiB],
        [3, 5 * MiB],
        [4, 5 * MiB],
      ],
    );
    assert.ok(parts.every((p) => p.input.Body instanceof Readable));
    assert.equal(calls.filter((c) => c.command === 'PutObjectCommand').length, 0);
    assert.equal((await sha256(await store.read(bucket, 'mp/20mb.bin'))).digest, bigDigest);
    assert.equal((await raw.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.length ?? 0, 0);
    client.destroy();
  });

  it('aborts a failed multipart upload, leaving no object and no pending upload', async () => {
    const client = makeClient();
    record(client, (call) => {
      if (call.command === 'UploadPartCommand' && call.input.PartNumber === 3) {
        throw Object.assign(new Error('injected failure'), { name: 'InvalidPart', $metadata: { httpStatusCode: 400 } });
      }
    });
    const store = new S3Store({ client, multipartThreshold: 8 * MiB, partSize: 5 * MiB });
    const bucket = freshBucket();
    await assert.rejects(
      store.putFile(bucket, 'mp/fails.bin', big),
      reason('unavailable', ['s3://' + bucket + '/mp/fails.bin', 'injected failure']),
    );
    assert.equal(await store.head(bucket, 'mp/fails.bin'), undefined);
    assert.equal((await raw.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.length ?? 0, 0);
    client.destroy();
  });

  it('retries a streamed upload after a transient error, with a fresh stream', async () => {
    const client = makeClient();
    let failures = 1;
    const calls = record(client, (call) => {
      if (call.command === 'PutObjectCommand' && failures-- > 0) {
        throw Object.assign(new Error('injected 503'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
      }
    });
    const store = new S3Store({ client });
    const bucket = freshBucket();
    const small = join(dir, 'small.txt');
    writeFileSync(small, 'second time lucky');
    await store.putFile(bucket, 'retry.txt', small);
    const puts = calls.filter((c) => c.command === 'PutObjectCommand');
    assert.equal(puts.length, 2);
    assert.notEqual(puts[0].input.Body, puts[1].input.Body);
    assert.equal((await readAll(await store.read(bucket, 'retry.txt'))).toString(), 'second time lucky');
    client.destroy();
  });

  it('follows continuation tokens when a listing comes in pages', async () => {
    const client = makeClient();
    const calls = record(client, (call) => {
      if (call.command === 'ListObjectsV2Command') call.input.MaxKeys = 2;
    });
    const store = new S3Store({ client });
    const bucket = freshBucket();
    const keys = ['p/1', 'p/2', 'p/3', 'p/4', 'p/5', 'p/sub/6'];
    for (const k of keys) await seed(bucket, k, k);
    assert.deepEqual(
      (await store.list(bucket, 'p/', { recursive: true })).map((o) => o.key),
      keys,
    );
    assert.equal(calls.length, 3);
    assert.deepEqual(
      (await store.list(bucket, 'p/', { recursive: false })).map((o) => o.key),
      keys.slice(0, 5),
    );
    client.destroy();
  });

  it('deletes in batches of at most 1000 keys', async () => {
    const client = makeClient();
    const calls = record(client);
    const store = new S3Store({ client });
    const bucket = freshBucket();
    const keys = Array.from({ length: 2500 }, (_, i) => `del/${i}`);
    for (const i of [0, 1500, 2499]) await seed(bucket, keys[i], 'x');
    await seed(bucket, 'del/keep', 'x');
    await store.delete(bucket, keys);
    const batches = calls
      .filter((c) => c.command === 'DeleteObjectsCommand')
      .map((c) => (c.input.Delete as { Objects: unknown[] }).Objects.length);
    assert.deepEqual(batches, [1000, 1000, 500]);
    assert.deepEqual(
      (await store.list(bucket, '', { recursive: true })).map((o) => o.key),
      ['del/keep'],
    );
    client.destroy();
  });

  it('does not list zero-byte folder markers as objects', async () => {
    const store = new S3Store({ client: raw });
    const bucket = freshBucket();
    await seed(bucket, 'data/', '');
    await seed(bucket, 'data/x.csv', 'x');
    assert.deepEqual(await store.list(bucket, 'data/', { recursive: false }), [{ key: 'data/x.csv', size: 1 }]);
    assert.deepEqual(await store.list(bucket, '', { recursive: true }), [{ key: 'data/x.csv', size: 1 }]);
  });

  it('creates the bucket again when it was deleted after a put', async () => {
    const store = new S3Store({ client: raw });
    const bucket = freshBucket();
    await store.putBytes(bucket, 'a.txt', 'a');
    await raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a.txt' }));
    await raw.send(new DeleteBucketCommand({ Bucket: bucket }));
    await store.putBytes(bucket, 'b.txt', 'b');
    assert.deepEqual(await store.list(bucket, '', { recursive: true }), [{ key: 'b.txt', size: 1 }]);
  });

  it('maps a refusal to access-denied, naming the bucket and key', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const client = { send: async () => Promise.reject(denied), config: { region: async () => 'us-east-1' } } as unknown as S3Client;
    const store = new S3Store({ client });
    await assert.rejects(store.head('bkt', 'k/1.csv'), reason('access-denied', ['s3://bkt/k/1.csv', 'Access Denied']));
    await assert.rejects(store.read('bkt', 'k/1.csv'), reason('access-denied', ['s3://bkt/k/1.csv']));
    await assert.rejects(store.list('bkt', 'k/', { recursive: false }), reason('access-denied', ['"bkt"', 'k/']));
    await assert.rejects(store.putBytes('bkt', 'k/1.csv', 'x'), reason('access-denied', ['s3://bkt/k/1.csv']));
    await assert.rejects(store.delete('bkt', ['k/1.csv']), reason('access-denied', ['"bkt"', 'k/1.csv']));
  });

  it('maps an unreachable endpoint to unavailable', async () => {
    const client = makeClient('http://127.0.0.1:9', 1); // port 9 (discard): nothing listens
    const store = new S3Store({ client });
    await assert.rejects(store.head('bkt', 'k.csv'), reason('unavailable', ['s3://bkt/k.csv']));
    await assert.rejects(store.list('bkt', '', { recursive: true }), reason('unavailable', ['bkt']));
    client.destroy();
  });

  it('openObjectStore("s3") takes the endpoint, credentials, region and path style from the env it is given', async () => {
    const store = openObjectStore('s3', dir, moto.env) as S3Store;
    assert.equal(store.kind, 's3');
    assert.equal(store.client.config.forcePathStyle, true);
    const bucket = freshBucket();
    await assert.rejects(
      store.putBytes(bucket, 'via-env.txt', 'hello'),
      (e: unknown) => e instanceof ObjectStoreError && e.reason === 'no-bucket',
    );
    await (openObjectStore('s3', dir, moto.env, { createBuckets: true }) as S3Store).putBytes(bucket, 'via-env.txt', 'hello');
    const got = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'via-env.txt' }));
    assert.equal(await got.Body?.transformToString(), 'hello', 'the object is in the moto this test started');
    store.client.destroy();
  });
});
