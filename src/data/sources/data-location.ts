// What a dataLocation names (rules.md rules 49-51): one object, or a folder ending in '/' whose
// first-level objects are imported (sub-folders ignored). http(s):// is read only from hosts the
// configuration allows, so the service cannot be made to fetch arbitrary URLs.
import { Readable } from 'node:stream';
import { ObjectStoreError, parseS3Url, type ObjectStore } from '../../object-store/object-store.ts';

export class DataLocationError extends Error {}

/** Which objects of a folder location are read. Imports: first level, every object (rule 50). */
export interface FolderRule {
  recursive: boolean;
  accept(key: string): boolean;
  /** Ends "The folder s3://... holds no " in the message when nothing is accepted. */
  nothing: string;
}

export const IMPORT_FOLDER: FolderRule = { recursive: false, accept: () => true, nothing: 'objects to import' };

export interface SourceObject {
  /** As shown in messages: s3://bucket/key or the URL. */
  displayName: string;
  size: number | undefined;
  /** The file itself, where the store keeps objects as local files (no copy needed). */
  localPath?: string;
  open(range?: { start: number; end: number }): Promise<Readable>;
}

const INVALID = 'Invalid Data location.';

function s3Failure(e: unknown, location: string): never {
  if (e instanceof ObjectStoreError) {
    if (e.reason === 'no-bucket') throw new DataLocationError(`${INVALID} The bucket of ${location} does not exist.`);
    if (e.reason === 'access-denied') {
      const bucket = parseS3Url(location)?.bucket ?? location;
      throw new DataLocationError(
        `Insufficient privileges for accessing data in S3. Please look at https://docs.aws.amazon.com/personalize/latest/dg/granting-personalize-s3-access.html#attach-bucket-policy and fix bucket policy on ${bucket}.`,
      );
    }
    throw new DataLocationError(`${INVALID} ${location} cannot be read: ${e.message}`);
  }
  throw e;
}

async function resolveHttp(location: string, allowHosts: string[]): Promise<SourceObject[]> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new DataLocationError(`${INVALID} ${location} is not a URL.`);
  }
  if (!allowHosts.includes(url.host.toLowerCase()) && !allowHosts.includes(url.hostname.toLowerCase())) {
    throw new DataLocationError(
      `${INVALID} http(s) locations are read only from hosts listed in OPENPERSONALIZE_HTTP_ALLOW_HOSTS; ${url.host} is not.`,
    );
  }
  const head = await fetch(url, { method: 'HEAD' }).catch((e: unknown) => {
    throw new DataLocationError(`${INVALID} ${location} cannot be reached: ${String(e)}`);
  });
  if (!head.ok) throw new DataLocationError(`${INVALID} ${location} answered HTTP ${head.status}.`);
  const length = head.headers.get('content-length');
  return [
    {
      displayName: location,
      size: length ? Number(length) : undefined,
      async open(range) {
        const res = await fetch(url, { headers: range ? { range: `bytes=${range.start}-${range.end}` } : {} });
        if (!res.ok || !res.body) throw new DataLocationError(`${location} answered HTTP ${res.status}.`);
        return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
      },
    },
  ];
}

/**
 * The objects an import reads, in key order. Throws DataLocationError with the message a user
 * should see when the location is malformed, missing, unreadable or empty.
 */
export async function resolveDataLocation(
  location: string | undefined,
  store: ObjectStore,
  allowHosts: string[],
  folder: FolderRule = IMPORT_FOLDER,
): Promise<SourceObject[]> {
  if (!location) throw new DataLocationError(`${INVALID} dataSource.dataLocation is required.`);
  if (/^https?:\/\//.test(location)) return resolveHttp(location, allowHosts);
  const parsed = parseS3Url(location);
  if (!parsed || parsed.bucket.length === 0)
    throw new DataLocationError(`${INVALID} Expected s3://bucket/key or s3://bucket/folder/, got ${location}.`);
  const { bucket, key } = parsed;
  const source = (k: string, size: number): SourceObject => ({
    displayName: `s3://${bucket}/${k}`,
    size,
    localPath: store.localPath?.(bucket, k),
    open: (range) => store.read(bucket, k, range),
  });
  try {
    if (key === '' || key.endsWith('/')) {
      const objects = (await store.list(bucket, key, { recursive: folder.recursive })).filter(
        (o) => !o.key.endsWith('/') && folder.accept(o.key),
      );
      if (objects.length === 0) throw new DataLocationError(`${INVALID} The folder ${location} holds no ${folder.nothing}.`);
      return objects.map((o) => source(o.key, o.size));
    }
    const info = await store.head(bucket, key);
    if (!info) throw new DataLocationError(`${INVALID} ${location} does not exist (to import a folder, end the location with '/').`);
    return [source(key, info.size)];
  } catch (e) {
    if (e instanceof DataLocationError) throw e;
    return s3Failure(e, location);
  }
}
