// The local-dir object store: s3://BUCKET/KEY is the file <root>/BUCKET/KEY. Buckets are the
// directories under root; directories below them are only the '/'-separated parts of keys, never
// objects themselves. Writes go to a temp file in the target's directory, are fsynced, then
// renamed over the target, so a reader (or a crash) never sees a torn object.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, type Dirent } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ObjectStoreError, type ObjectInfo, type ObjectStore } from './object-store.ts';

/** Names of in-progress writes. list() skips them and no key may contain a part starting with it. */
export const TEMP_PREFIX = '.openpersonalize-tmp-';

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** S3 lists keys in UTF-8 byte order; JS string order (UTF-16 units) differs above U+FFFF. */
function byKey(a: ObjectInfo, b: ObjectInfo): number {
  return Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));
}

export class LocalDirStore implements ObjectStore {
  readonly kind = 'local';
  readonly root: string;

  /**
   * createBuckets: a write to a missing bucket makes it (the service's own storage), or fails with
   * ObjectStoreError('no-bucket') as S3 does (the callers' buckets: s3:// locations).
   */
  constructor(
    root: string,
    private readonly options: { createBuckets?: boolean } = {},
  ) {
    this.root = resolve(root);
  }

  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const path = this.objectPath(bucket, key);
    try {
      const st = await stat(path);
      if (st.isFile()) return { key, size: st.size };
    } catch (err) {
      if (code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR') throw this.fsError(err, bucket, key);
    }
    await this.bucketDir(bucket); // a missing bucket is an error, a missing object is not
    return undefined;
  }

  async list(bucket: string, prefix: string, options: { recursive: boolean }): Promise<ObjectInfo[]> {
    const bucketDir = await this.bucketDir(bucket);
    // 'data/part-' → folder 'data/' and name prefix 'part-', as an S3 prefix matches partial names.
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const namePrefix = prefix.slice(folder.length);
    if (folder !== '') this.checkKey(bucket, folder.slice(0, -1), `prefix "${prefix}"`);
    const out: ObjectInfo[] = [];
    await this.collect(join(bucketDir, folder), folder, namePrefix, options.recursive, out, bucket);
    return out.sort(byKey);
  }

  async read(bucket: string, key: string, range?: { start: number; end: number }): Promise<Readable> {
    if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
      throw new RangeError(`invalid byte range ${range.start}-${range.end} for s3://${bucket}/${key}`);
    }
    const path = this.objectPath(bucket, key);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      if (code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR') throw this.fsError(err, bucket, key);
      await this.bucketDir(bucket);
      throw new ObjectStoreError('no-object', `object s3://${bucket}/${key} does not exist (local file ${path})`);
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new ObjectStoreError('no-object', `object s3://${bucket}/${key} does not exist (${path} is a folder)`);
    }
    // The handle was opened before returning, so a missing object rejects here instead of
    // surfacing later as a stream error; the stream closes the handle when it ends.
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async putFile(bucket: string, key: string, localPath: string): Promise<void> {
    await stat(localPath).catch((err: Error) => {
      throw new Error(`cannot upload ${localPath} to s3://${bucket}/${key}: ${err.message}`);
    });
    await this.writeAtomically(bucket, key, async (tmp) => {
      // copyFile can use copy_file_range/reflinks: no bytes pass through this process.
      await copyFile(localPath, tmp, fsConstants.COPYFILE_EXCL);
      const handle = await open(tmp, 'r'); // 'r': the copy keeps the source's mode, which may be read-only
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  async putBytes(bucket: string, key: string, body: Buffer | string): Promise<void> {
    await this.writeAtomically(bucket, key, async (tmp) => {
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(body);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  async delete(bucket: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const paths = keys.map((key) => this.objectPath(bucket, key)); // refuse bad keys before deleting any
    await this.bucketDir(bucket);
    for (let i = 0; i < paths.length; i += 64) {
      await Promise.all(
        paths.slice(i, i + 64).map(async (path, j) => {
          try {
            await unlink(path);
          } catch (err) {
            // Missing objects are ignored, and so are folders: they are not objects (EISDIR on Linux, EPERM on macOS).
            if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(code(err) ?? '')) return;
            if (code(err) === 'EPERM' && (await stat(path).catch(() => undefined))?.isDirectory()) return;
            throw this.fsError(err, bucket, keys[i + j]);
          }
        }),
      );
    }
    // Emptied folders are left in place: pruning them would race with a concurrent put that has
    // just created the folder, and list() ignores folders anyway.
  }

  /** The file that holds (or would hold) the object, so DuckDB can read it in place. */
  localPath(bucket: string, key: string): string {
    return this.objectPath(bucket, key);
  }

  /** The bucket's directory; ObjectStoreError('no-bucket') if it does not exist. */
  private async bucketDir(bucket: string): Promise<string> {
    this.checkBucket(bucket);
    const dir = join(this.root, bucket);
    const st = await stat(dir).catch((err) => {
      if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return undefined;
      throw this.fsError(err, bucket);
    });
    if (!st?.isDirectory()) throw new ObjectStoreError('no-bucket', `bucket "${bucket}" does not exist (no folder ${dir})`);
    return dir;
  }

  private checkBucket(bucket: string): void {
    if (bucket === '' || bucket === '.' || bucket === '..' || /[/\\\0]/.test(bucket)) {
      throw new ObjectStoreError('no-bucket', `"${bucket}" is not a valid bucket name`);
    }
  }

  /**
   * Refuses keys that cannot be a file inside the bucket's folder: '..' and '.' parts would leave
   * it or alias another key, a leading '/' or an empty part ('a//b', 'a/') has no file of its own,
   * NUL cannot be in a path, and temp names are reserved for in-progress writes.
   */
  private checkKey(bucket: string, key: string, what = `key "${key}"`): void {
    const refuse = (why: string): never => {
      throw new ObjectStoreError('access-denied', `the local object store refuses ${what} in bucket "${bucket}": ${why}`);
    };
    if (key === '') refuse('it is empty');
    if (key.includes('\0')) refuse('it contains a NUL character');
    if (key.startsWith('/')) refuse('it is an absolute path');
    if (sep === '\\' && key.includes('\\')) refuse('it contains a backslash, a path separator here');
    for (const part of key.split('/')) {
      if (part === '..' || part === '.') refuse(`it contains a '${part}' part, which would leave the bucket's folder`);
      if (part === '') refuse("it contains an empty part ('//' or a trailing '/'), which cannot be a file");
      if (part.startsWith(TEMP_PREFIX)) refuse(`names starting with ${TEMP_PREFIX} are reserved for writes in progress`);
    }
  }

  private objectPath(bucket: string, key: string): string {
    this.checkBucket(bucket);
    this.checkKey(bucket, key);
    const bucketDir = join(this.root, bucket);
    const path = join(bucketDir, key);
    // Belt and braces: whatever checkKey missed, the path must still be inside the bucket.
    const rel = relative(bucketDir, path);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new ObjectStoreError(
        'access-denied',
        `the local object store refuses key "${key}" in bucket "${bucket}": it leaves the bucket's folder`,
      );
    }
    return path;
  }

  private async collect(
    dir: string,
    keyPrefix: string,
    namePrefix: string,
    recursive: boolean,
    out: ObjectInfo[],
    bucket: string,
  ): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return; // no such folder: no objects
      throw this.fsError(err, bucket, keyPrefix);
    }
    await Promise.all(
      entries.map(async (e) => {
        if (!e.name.startsWith(namePrefix) || e.name.startsWith(TEMP_PREFIX)) return;
        const path = join(dir, e.name);
        const key = keyPrefix + e.name;
        if (e.isDirectory()) {
          if (recursive) await this.collect(path, `${key}/`, '', true, out, bucket);
          return;
        }
        // Symlinks to files count as objects; symlinked folders are not followed (no cycles).
        const st = e.isFile() || e.isSymbolicLink() ? await stat(path).catch(() => undefined) : undefined;
        if (st?.isFile()) out.push({ key, size: st.size });
      }),
    );
  }

  private async writeAtomically(bucket: string, key: string, fill: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.objectPath(bucket, key);
    const dir = dirname(target);
    // Temp name without the target's name, so a long key's name cannot exceed NAME_MAX.
    const tmp = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    if (this.options.createBuckets === false) await this.bucketDir(bucket);
    try {
      await mkdir(dir, { recursive: true }); // creates the bucket too, where allowed
      await fill(tmp);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      if (['EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY'].includes(code(err) ?? '')) {
        throw new ObjectStoreError(
          'access-denied',
          `cannot write s3://${bucket}/${key}: in the local object store a key cannot be both an object and a folder of other keys`,
        );
      }
      throw err instanceof ObjectStoreError ? err : this.fsError(err, bucket, key);
    }
    // The rename is durable only once the folder's entry is on disk.
    const handle = await open(dir, 'r').catch(() => undefined);
    await handle?.sync().catch(() => undefined); // some platforms refuse fsync on a folder
    await handle?.close();
  }

  private fsError(err: unknown, bucket: string, key?: string): ObjectStoreError | Error {
    const where = key === undefined ? `bucket "${bucket}"` : `s3://${bucket}/${key}`;
    const message = `${where} in the local object store (${this.root}): ${(err as Error).message}`;
    if (code(err) === 'EACCES' || code(err) === 'EPERM') return new ObjectStoreError('access-denied', message);
    if (code(err) === undefined) return err as Error;
    return Object.assign(new ObjectStoreError('unavailable', message), { cause: err });
  }
}
