// Opens the object store the configuration names: files under <dataDir>/buckets, or S3.
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { LocalDirStore } from './local-dir-store.ts';
import type { ObjectStore } from './object-store.ts';
import { S3Store } from './s3-store.ts';

/** The store that s3:// data locations name. A write never creates a bucket unless `createBuckets` (the CLI placing its files). */
export function openObjectStore(
  kind: 'local' | 's3',
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  o: { createBuckets?: boolean } = {},
): ObjectStore {
  const createBuckets = o.createBuckets ?? false;
  if (kind === 'local') return new LocalDirStore(join(dataDir, 'buckets'), { createBuckets });
  return new S3Store({ client: new S3Client(s3ClientConfig(env)), createBuckets });
}

/**
 * The SDK reads AWS_REGION, AWS_ENDPOINT_URL(_S3) and credentials from process.env by itself; the
 * values of `env` are passed explicitly so that a service started with its own environment (as
 * tests start one against moto) talks to the S3 that environment names. Anything `env` leaves
 * out is still found by the SDK's standard chain (~/.aws/config, instance roles, ...).
 */
export function s3ClientConfig(env: NodeJS.ProcessEnv): S3ClientConfig {
  const config: S3ClientConfig = { forcePathStyle: env.OPENPERSONALIZE_S3_FORCE_PATH_STYLE === 'true' };
  if (env.AWS_REGION) config.region = env.AWS_REGION;
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  if (endpoint && env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== 'true') config.endpoint = endpoint;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return config;
}
