// Set-up shared by the import/export tests: where their files go (the local store or S3), running
// an import to its end, and reading an export back. CSV text is in rows.ts, resources in resources.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CreateDatasetExportJobCommand,
  CreateDatasetImportJobCommand,
  DescribeDatasetExportJobCommand,
  DescribeDatasetImportJobCommand,
  type DatasetImportJob,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { uniqueName, waitFor } from './service-harness.ts';

/** Where test data is put: the service's local buckets folder, or an S3 bucket (moto). */
export interface Bucket {
  name: string;
  put(key: string, body: string | Buffer): Promise<void>;
  get(key: string): Promise<string>;
  list(prefix: string): Promise<string[]>;
}

export function localBucket(dataDir: string, name = uniqueName('bucket').toLowerCase()): Bucket {
  const root = join(dataDir, 'buckets', name);
  mkdirSync(root, { recursive: true });
  return {
    name,
    async put(key, body) {
      mkdirSync(dirname(join(root, key)), { recursive: true });
      writeFileSync(join(root, key), body);
    },
    async get(key) {
      return readFileSync(join(root, key), 'utf8');
    },
    async list(prefix) {
      const { readdirSync } = await import('node:fs');
      const walk = (d: string, p: string): string[] =>
        readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(d, e.name), `${p}${e.name}/`) : [`${p}${e.name}`],
        );
      return walk(root, '').filter((k) => k.startsWith(prefix));
    },
  };
}

export async function s3Bucket(s3: S3Client, name = uniqueName('bucket').toLowerCase()): Promise<Bucket> {
  const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return {
    name,
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: body }));
    },
    async get(key) {
      const r = await s3.send(new GetObjectCommand({ Bucket: name, Key: key }));
      return r.Body!.transformToString('utf8');
    },
    async list(prefix) {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: name, Prefix: prefix }));
      return (r.Contents ?? []).map((o) => o.Key!);
    },
  };
}

/** Runs an import job to its end and returns the job as Describe shows it then. */
export async function importAndWait(
  client: PersonalizeClient,
  datasetArn: string,
  dataLocation: string,
  importMode: 'FULL' | 'INCREMENTAL' = 'FULL',
): Promise<DatasetImportJob> {
  const { datasetImportJobArn } = await client.send(
    new CreateDatasetImportJobCommand({ jobName: uniqueName('imp'), datasetArn, dataSource: { dataLocation }, importMode }),
  );
  return waitFor(
    async () => {
      const job = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
      return job.status === 'ACTIVE' || job.status === 'CREATE FAILED' ? job : undefined;
    },
    60_000,
    'import job to end',
  );
}

/** Exports the dataset and returns the CSV lines (header first, then rows sorted). */
export async function exportLines(
  client: PersonalizeClient,
  bucket: Bucket,
  datasetArn: string,
  ingestionMode: 'BULK' | 'PUT' | 'ALL' = 'BULK',
): Promise<string[]> {
  const jobName = uniqueName('exp');
  const { datasetExportJobArn } = await client.send(
    new CreateDatasetExportJobCommand({
      jobName,
      datasetArn,
      ingestionMode,
      roleArn: 'arn:aws:iam::000000000000:role/export',
      jobOutput: { s3DataDestination: { path: `s3://${bucket.name}/exports/` } },
    }),
  );
  const job = await waitFor(
    async () => {
      const j = (await client.send(new DescribeDatasetExportJobCommand({ datasetExportJobArn }))).datasetExportJob!;
      return j.status === 'ACTIVE' || j.status === 'CREATE FAILED' ? j : undefined;
    },
    60_000,
    'export job to end',
  );
  if (job.status !== 'ACTIVE') throw new Error(`export failed: ${job.failureReason}`);
  const keys = (await bucket.list(`exports/${jobName}/`)).filter((k) => k.endsWith('.csv'));
  const lines = (await Promise.all(keys.map((k) => bucket.get(k)))).flatMap((text) => text.split('\n').filter((l) => l.length > 0));
  const [header, ...rows] = lines;
  return [header, ...rows.filter((r) => r !== header).sort()];
}
