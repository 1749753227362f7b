// The S3 object store: the AWS SDK v3 client against AWS or any S3-compatible server. Without an
// explicit client it uses the SDK's standard configuration (credential chain, AWS_REGION,
// AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL). Files are uploaded as streams, never read into memory.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type BucketLocationConstraint,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { ObjectStoreError, type ObjectInfo, type ObjectStore } from './object-store.ts';

export interface S3StoreOptions {
  client?: S3Client;
  /** Only used when no client is given. */
  forcePathStyle?: boolean;
  /**
   * A write to a missing bucket creates it (default: the service's own storage bucket), or, when
   * false, fails with ObjectStoreError('no-bucket') (the callers' buckets: s3:// locations).
   */
  createBuckets?: boolean;
  /** Files larger than this are uploaded in parts. Default 5 GiB, PutObject's limit. */
  multipartThreshold?: number;
  /** Part size for multipart uploads; raised when a file would need more than 10,000 parts. Default 64 MiB. */
  partSize?: number;
}

type SdkError = Error & { $metadata?: { httpStatusCode?: number }; Code?: string };

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const PART_CONCURRENCY = 4;
/**
 * Read size for uploads. Each read becomes one aws-chunked frame (the SDK's default checksums
 * stream the body that way); 1 MiB frames instead of fs's 64 KiB cost a few MiB of memory at
 * most and make 20 MB uploads to moto 5-20x faster.
 */
const STREAM_CHUNK = MiB;
const UPLOAD_ATTEMPTS = 3;
const ACCESS_ERRORS = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'AllAccessDisabled',
  'AccountProblem',
  'CredentialsProviderError',
]);

function status(err: unknown): number | undefined {
  return (err as SdkError).$metadata?.httpStatusCode;
}

function errorName(err: unknown): string {
  return (err as SdkError).Code ?? (err as SdkError).name ?? '';
}

/** Worth another try with a fresh body: the SDK does not retry requests whose body is a stream. */
function transient(err: unknown): boolean {
  const s = status(err);
  return s === undefined || s >= 500 || s === 429 || ['RequestTimeout', 'SlowDown', 'Throttling'].includes(errorName(err));
}

/** Retries a request whose body is a stream (made afresh by `attempt`): the SDK gives those up on the first error. */
async function retryStreaming<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= UPLOAD_ATTEMPTS || !transient(err)) throw err;
      await delay(200 * 2 ** n);
    }
  }
}

function where(bucket: string, key?: string): string {
  return key === undefined ? `bucket "${bucket}"` : `s3://${bucket}/${key}`;
}

export function mapS3Error(err: unknown, op: string, bucket: string, key?: string): ObjectStoreError {
  if (err instanceof ObjectStoreError) return err;
  const name = errorName(err);
  const s = status(err);
  const detail = `${name || 'Error'}${s ? ` (HTTP ${s})` : ''}: ${(err as Error).message}`;
  let mapped: ObjectStoreError;
  if (name === 'NoSuchBucket')
    mapped = new ObjectStoreError('no-bucket', `S3 bucket "${bucket}" does not exist (${op} ${where(bucket, key)})`);
  else if (name === 'InvalidBucketName')
    mapped = new ObjectStoreError('no-bucket', `"${bucket}" is not a valid S3 bucket name (${op} ${where(bucket, key)})`);
  else if (name === 'NoSuchKey' || (s === 404 && key !== undefined))
    mapped = new ObjectStoreError('no-object', `object ${where(bucket, key)} does not exist`);
  else if (s === 403 || ACCESS_ERRORS.has(name))
    mapped = new ObjectStoreError('access-denied', `S3 refused ${op} on ${where(bucket, key)}: ${detail}`);
  else mapped = new ObjectStoreError('unavailable', `S3 ${op} on ${where(bucket, key)} failed: ${detail}`);
  mapped.cause = err;
  return mapped;
}

export class S3Store implements ObjectStore {
  readonly kind = 's3';
  readonly client: S3Client;
  private readonly multipartThreshold: number;
  private readonly partSize: number;
  /** Buckets seen to exist, so that puts check (or create) each bucket once, not every time. */
  private readonly knownBuckets = new Set<string>();

  private readonly createBuckets: boolean;

  constructor(options: S3StoreOptions = {}) {
    this.createBuckets = options.createBuckets ?? true;
    this.client = options.client ?? new S3Client(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle });
    this.multipartThreshold = options.multipartThreshold ?? 5 * GiB;
    this.partSize = Math.max(options.partSize ?? 64 * MiB, 5 * MiB); // S3's minimum for all but the last part
  }

  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { key, size: r.ContentLength ?? 0 };
    } catch (err) {
      if (status(err) !== 404) throw mapS3Error(err, 'HeadObject', bucket, key);
    }
    // A HEAD response has no body, so its 404 does not say whether the key or the bucket is missing.
    if (!(await this.bucketExists(bucket)))
      throw new ObjectStoreError('no-bucket', `S3 bucket "${bucket}" does not exist (HeadObject ${where(bucket, key)})`);
    return undefined;
  }

  async list(bucket: string, prefix: string, options: { recursive: boolean }): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const r = await this.client
        .send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix || undefined,
            Delimiter: options.recursive ? undefined : '/',
            ContinuationToken: token,
          }),
        )
        .catch((err) => {
          throw mapS3Error(err, `ListObjectsV2 (prefix "${prefix}")`, bucket);
        });
      for (const o of r.Contents ?? []) {
        // Zero-byte "folder" markers (as the S3 console creates) are folders, not objects, as in the local store.
        if (o.Key !== undefined && !(o.Key.endsWith('/') && !o.Size)) out.push({ key: o.Key, size: o.Size ?? 0 });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out; // S3 returns keys in UTF-8 byte order, page after page
  }

  async read(bucket: string, key: string, range?: { start: number; end: number }): Promise<Readable> {
    if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
      throw new RangeError(`invalid byte range ${range.start}-${range.end} for s3://${bucket}/${key}`);
    }
    try {
      const r = await this.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      return (r.Body as Readable | undefined) ?? Readable.from([]);
    } catch (err) {
      // A range starting past the end: nothing to read, as reading past the end of a file gives.
      if (status(err) === 416 || errorName(err) === 'InvalidRange') return Readable.from([]);
      throw mapS3Error(err, 'GetObject', bucket, key);
    }
  }

  async putFile(bucket: string, key: string, localPath: string): Promise<void> {
    const { size } = await stat(localPath).catch((err: Error) => {
      throw new Error(`cannot upload ${localPath} to s3://${bucket}/${key}: ${err.message}`);
    });
    if (size > this.multipartThreshold) {
      await this.put(bucket, key, 'multipart upload', () => this.uploadInParts(bucket, key, localPath, size));
      return;
    }
    await this.put(bucket, key, 'PutObject', () =>
      retryStreaming(async () => {
        const body = createReadStream(localPath, { highWaterMark: STREAM_CHUNK });
        try {
          // ContentLength lets the SDK send the stream as it is read, without buffering it.
          await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: size }));
        } finally {
          body.destroy(); // closes the file if the request failed before reading it all
        }
      }),
    );
  }

  async putBytes(bucket: string, key: string, body: Buffer | string): Promise<void> {
    await this.put(bucket, key, 'PutObject', async () => {
      // An explicit length: without it the SDK sends an empty body with no Content-Length and warns.
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body) }));
    });
  }

  async delete(bucket: string, keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000); // DeleteObjects' limit per request
      const r = await this.client
        .send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }))
        .catch((err) => {
          throw mapS3Error(err, `DeleteObjects (${batch.length} keys, first "${batch[0]}")`, bucket);
        });
      const failed = (r.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        const first = failed[0];
        const reason = first.Code === 'AccessDenied' ? 'access-denied' : 'unavailable';
        throw new ObjectStoreError(
          reason,
          `S3 did not delete ${failed.length} object(s) in bucket "${bucket}", first s3://${bucket}/${first.Key}: ${first.Code}: ${first.Message}`,
        );
      }
    }
  }

  private async bucketExists(bucket: string): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (err) {
      if (status(err) === 404 || errorName(err) === 'NoSuchBucket') return false;
      // 403: allowed to use objects but not to see the bucket; assume it is there and let the
      // object request decide.
      if (status(err) === 403) return true;
      throw mapS3Error(err, 'HeadBucket', bucket);
    }
  }

  private async createBucket(bucket: string): Promise<void> {
    const region = await this.client.config.region().catch(() => undefined);
    try {
      await this.client.send(
        new CreateBucketCommand({
          Bucket: bucket,
          // us-east-1 is the one region that refuses its own name as a location constraint.
          CreateBucketConfiguration:
            region && region !== 'us-east-1' ? { LocationConstraint: region as BucketLocationConstraint } : undefined,
        }),
      );
    } catch (err) {
      // Someone created it meanwhile. If it is someone else's, the put that follows gets a 403.
      if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(errorName(err))) throw mapS3Error(err, 'CreateBucket', bucket);
    }
  }

  /**
   * Runs one upload, creating the bucket first if it is missing. The bucket is checked before the
   * first put to it rather than on NoSuchBucket, because a failed streaming request makes the SDK
   * print a warning and may have sent part of the body for nothing.
   */
  private async put(bucket: string, key: string, op: string, upload: () => Promise<void>): Promise<void> {
    if (!this.knownBuckets.has(bucket)) {
      if (!(await this.bucketExists(bucket))) {
        if (!this.createBuckets)
          throw new ObjectStoreError('no-bucket', `S3 bucket "${bucket}" does not exist (${op} ${where(bucket, key)})`);
        await this.createBucket(bucket);
      }
      this.knownBuckets.add(bucket);
    }
    try {
      await upload();
    } catch (err) {
      if (errorName(err) !== 'NoSuchBucket' || !this.createBuckets) throw mapS3Error(err, op, bucket, key);
      // Deleted since we last looked: create it again, once.
      this.knownBuckets.delete(bucket);
      await this.createBucket(bucket);
      this.knownBuckets.add(bucket);
      await upload().catch((e) => {
        throw mapS3Error(e, op, bucket, key);
      });
    }
  }

  private async uploadInParts(bucket: string, key: string, localPath: string, size: number): Promise<void> {
    const partSize = Math.max(this.partSize, Math.ceil(size / 10_000)); // S3 allows at most 10,000 parts
    const count = Math.ceil(size / partSize);
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    try {
      const parts: CompletedPart[] = new Array(count);
      let next = 0;
      let failed = false;
      const worker = async (): Promise<void> => {
        while (next < count && !failed) {
          const n = next++;
          const start = n * partSize;
          const end = Math.min(size, start + partSize) - 1;
          const r = await retryStreaming(async () => {
            const body = createReadStream(localPath, { start, end, highWaterMark: STREAM_CHUNK });
            try {
              return await this.client.send(
                new UploadPartCommand({
                  Bucket: bucket,
                  Key: key,
                  UploadId,
                  PartNumber: n + 1,
                  Body: body,
                  ContentLength: end - start + 1,
                }),
              );
            } finally {
              body.destroy();
            }
          });
          parts[n] = { PartNumber: n + 1, ETag: r.ETag };
        }
      };
      // Every worker settles before any abort, so no part is still in flight when the upload goes.
      const stopOthersOnFailure = async (): Promise<void> => {
        try {
          await worker();
        } catch (err) {
          failed = true;
          throw err;
        }
      };
      const settled = await Promise.allSettled(Array.from({ length: Math.min(PART_CONCURRENCY, count) }, stopOthersOnFailure));
      const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejected) throw rejected.reason;
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      // Unfinished parts are billed until aborted; the object itself never appeared.
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
      throw err;
    }
  }
}
